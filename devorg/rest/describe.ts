// Describe shapes: the global object list, one object's basic info, and its full describe.
// Only the keys clients read are filled.

import type { ObjectDef, Schema } from './sobject-schema.ts'

function urls(version: string, obj: ObjectDef): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${obj.name}`
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` }
}

function summary(version: string, obj: ObjectDef) {
  return {
    name: obj.name,
    label: obj.label,
    labelPlural: obj.labelPlural,
    keyPrefix: obj.keyPrefix,
    custom: obj.custom,
    createable: obj.createable,
    updateable: obj.updateable,
    deletable: obj.deletable,
    queryable: obj.queryable,
    retrieveable: !obj.isEvent,
    searchable: !obj.isEvent,
    urls: urls(version, obj),
  }
}

export function describeGlobal(schema: Schema, version: string) {
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects: schema.objects.map((o) => summary(version, o)) }
}

export function objectInfo(version: string, obj: ObjectDef) {
  return { objectDescribe: summary(version, obj), recentItems: [] }
}

export function describeObject(schema: Schema, version: string, obj: ObjectDef) {
  return {
    ...summary(version, obj),
    fields: obj.fields.map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      custom: f.custom,
      nillable: !f.required && f.kind !== 'boolean' && f.kind !== 'id',
      createable: !f.readOnly,
      updateable: !f.readOnly,
      externalId: f.externalId,
      idLookup: f.externalId || f.kind === 'id',
      referenceTo: f.referenceTo,
      relationshipName: f.relationshipName,
      picklistValues: [],
    })),
    childRelationships: schema.childRelationships(obj).map((c) => ({
      childSObject: c.childSObject,
      field: c.field,
      relationshipName: c.relationshipName,
    })),
    recordTypeInfos: [],
  }
}
