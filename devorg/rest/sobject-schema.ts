// The dev org's object model: standard objects the flows use, the seed's custom objects and
// platform events, and the lookups (case-insensitive names, key prefixes, relationships).

import type { DevOrgSeed, SeedField, SeedObject } from '../seed/seed-types.ts'
import { base62Pair } from './record-id.ts'
import { STANDARD_OBJECTS } from './standard-objects.ts'

/** How a value is stored and compared. */
export type FieldKind = 'id' | 'string' | 'number' | 'boolean' | 'date' | 'datetime' | 'reference' | 'base64'

export type FieldDef = {
  name: string
  kind: FieldKind
  /** The type name describe reports (`string`, `email`, `currency`, `picklist`, ...). */
  type: string
  label: string
  required: boolean
  readOnly: boolean
  externalId: boolean
  referenceTo: string[]
  /** Parent relationship name used in SOQL (`Account` for `AccountId`). */
  relationshipName: string | null
  /** Name of the child relationship this lookup creates on its parent (`Contacts`). */
  childRelationshipName: string | null
  custom: boolean
}

export type ObjectDef = {
  name: string
  label: string
  labelPlural: string
  keyPrefix: string
  custom: boolean
  isEvent: boolean
  createable: boolean
  updateable: boolean
  deletable: boolean
  queryable: boolean
  fields: FieldDef[]
}

export type ChildRelationship = { childSObject: string; field: string; relationshipName: string }

export type Schema = {
  objects: ObjectDef[]
  object(name: string): ObjectDef | undefined
  objectByPrefix(prefix: string): ObjectDef | undefined
  field(obj: ObjectDef, name: string): FieldDef | undefined
  /** Lookup field on `obj` whose relationship name is `name`. */
  parentRelationship(obj: ObjectDef, name: string): FieldDef | undefined
  childRelationships(obj: ObjectDef): ChildRelationship[]
  childRelationship(obj: ObjectDef, name: string): ChildRelationship | undefined
  /** Objects selected for Change Data Capture, by their canonical names. */
  changeEventEntities: string[]
}

export function fieldDef(name: string, kind: FieldKind, extra: Partial<FieldDef> = {}): FieldDef {
  const custom = name.endsWith('__c')
  return {
    name,
    kind,
    type: kind === 'number' ? 'double' : kind,
    label: name.replace(/__c$/, '').replace(/_/g, ' '),
    required: false,
    readOnly: false,
    externalId: false,
    referenceTo: [],
    relationshipName: kind === 'reference' ? relationshipNameFor(name) : null,
    childRelationshipName: null,
    custom,
    ...extra,
  }
}

function relationshipNameFor(field: string): string {
  if (field.endsWith('__c')) return field.slice(0, -3) + '__r'
  return field.endsWith('Id') ? field.slice(0, -2) : field
}

const AUDIT_FIELDS: FieldDef[] = [
  fieldDef('IsDeleted', 'boolean', { readOnly: true }),
  fieldDef('CreatedDate', 'datetime', { readOnly: true }),
  fieldDef('CreatedById', 'reference', { readOnly: true, referenceTo: ['User'] }),
  fieldDef('LastModifiedDate', 'datetime', { readOnly: true }),
  fieldDef('LastModifiedById', 'reference', { readOnly: true, referenceTo: ['User'] }),
  fieldDef('SystemModstamp', 'datetime', { readOnly: true }),
]

function seedFieldDef(objectName: string, f: SeedField): FieldDef {
  const kind = f.type === 'reference' ? 'reference' : f.type
  const extra: Partial<FieldDef> = { externalId: f.externalId === true }
  if (f.label !== undefined) extra.label = f.label
  if (f.referenceTo !== undefined) {
    extra.referenceTo = [f.referenceTo]
    extra.childRelationshipName = objectName.replace(/__c$/, '') + 's__r'
  }
  return fieldDef(f.name, kind, extra)
}

function customObject(seedObj: SeedObject, keyPrefix: string): ObjectDef {
  const isEvent = seedObj.name.endsWith('__e')
  const base = seedObj.name.replace(/__[ce]$/, '').replace(/_/g, ' ')
  const standard = isEvent
    ? [
        fieldDef('ReplayId', 'string', { readOnly: true }),
        fieldDef('CreatedDate', 'datetime', { readOnly: true }),
        fieldDef('CreatedById', 'reference', { readOnly: true, referenceTo: ['User'] }),
        fieldDef('EventUuid', 'string', { readOnly: true }),
      ]
    : [
        fieldDef('Id', 'id', { readOnly: true }),
        fieldDef('OwnerId', 'reference', { referenceTo: ['User'] }),
        fieldDef('Name', 'string'),
        ...AUDIT_FIELDS,
      ]
  const custom = seedObj.fields.map((f) => seedFieldDef(seedObj.name, f))
  return {
    name: seedObj.name,
    label: seedObj.label ?? base,
    labelPlural: (seedObj.label ?? base) + 's',
    keyPrefix,
    custom: true,
    isEvent,
    createable: true,
    updateable: !isEvent,
    deletable: !isEvent,
    queryable: !isEvent,
    fields: [...standard, ...custom],
  }
}

/** Custom key prefixes are `a` + two base-62 characters, derived from the name so they are stable. */
function customPrefixes(names: string[]): Map<string, string> {
  const taken = new Set<string>()
  const out = new Map<string, string>()
  for (const name of [...names].sort()) {
    if (name.endsWith('__e')) {
      out.set(name, 'e00')
      continue
    }
    let h = 0
    for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) % (62 * 62)
    while (taken.has(base62Pair(h))) h = (h + 1) % (62 * 62)
    taken.add(base62Pair(h))
    out.set(name, 'a' + base62Pair(h))
  }
  return out
}

export function buildSchema(seed: Pick<DevOrgSeed, 'objects' | 'changeDataCapture'>): Schema {
  const standardByName = new Map(STANDARD_OBJECTS.map((o) => [o.name, o] as const))
  const extensions = seed.objects.filter((o) => standardByName.has(o.name))
  const customs = seed.objects.filter((o) => !standardByName.has(o.name))
  const prefixes = customPrefixes(customs.map((o) => o.name))
  const objects: ObjectDef[] = STANDARD_OBJECTS.map((o) => {
    const ext = extensions.filter((e) => e.name === o.name).flatMap((e) => e.fields)
    return { ...o, fields: [...o.fields.map((f) => ({ ...f })), ...ext.map((f) => seedFieldDef(o.name, f))] }
  })
  for (const c of customs) objects.push(customObject(c, prefixes.get(c.name) ?? 'a00'))
  // Files can be linked to any record, so the link's lookup is polymorphic over every object.
  const linkable = objects.filter((o) => !o.isEvent && !o.name.startsWith('Content')).map((o) => o.name)
  for (const o of objects) {
    for (const f of o.fields)
      if (f.name === 'LinkedEntityId' || f.name === 'FirstPublishLocationId')
        f.referenceTo = [...linkable, 'User']
  }
  const schema = makeSchema(objects, [])
  for (const name of seed.changeDataCapture ?? []) {
    const obj = schema.object(name)
    if (!obj || obj.isEvent) throw new Error(`seed: changeDataCapture names ${name}, which is not an object`)
    if (!schema.changeEventEntities.includes(obj.name)) schema.changeEventEntities.push(obj.name)
  }
  return schema
}

function makeSchema(objects: ObjectDef[], changeEventEntities: string[]): Schema {
  const byLower = new Map(objects.map((o) => [o.name.toLowerCase(), o] as const))
  const byPrefix = new Map(objects.filter((o) => !o.isEvent).map((o) => [o.keyPrefix, o] as const))
  const fieldIndex = new Map<ObjectDef, Map<string, FieldDef>>()
  const relIndex = new Map<ObjectDef, Map<string, FieldDef>>()
  const children = new Map<string, ChildRelationship[]>()
  for (const o of objects) {
    fieldIndex.set(o, new Map(o.fields.map((f) => [f.name.toLowerCase(), f] as const)))
    const rels = new Map<string, FieldDef>()
    for (const f of o.fields) {
      if (f.relationshipName) rels.set(f.relationshipName.toLowerCase(), f)
      if (!f.childRelationshipName) continue
      for (const parent of f.referenceTo) {
        const list = children.get(parent) ?? []
        list.push({ childSObject: o.name, field: f.name, relationshipName: f.childRelationshipName })
        children.set(parent, list)
      }
    }
    relIndex.set(o, rels)
  }
  return {
    objects,
    changeEventEntities,
    object: (name) => byLower.get(name.toLowerCase()),
    objectByPrefix: (prefix) => byPrefix.get(prefix),
    field: (obj, name) => fieldIndex.get(obj)?.get(name.toLowerCase()),
    parentRelationship: (obj, name) => relIndex.get(obj)?.get(name.toLowerCase()),
    childRelationships: (obj) => children.get(obj.name) ?? [],
    childRelationship: (obj, name) =>
      (children.get(obj.name) ?? []).find((c) => c.relationshipName.toLowerCase() === name.toLowerCase()),
  }
}
