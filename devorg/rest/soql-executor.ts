// Runs a parsed query over stored records: resolve names against the schema (so typos get
// Salesforce's errors), filter, sort, slice, then shape rows with nested parents and children.

import { compareKey, parseDateTime, type StoredValue } from './field-values.ts'
import { normalizeId } from './record-id.ts'
import { fieldValue, recordUrl } from './record-shape.ts'
import type { RecordData, RecordStore } from './record-store.ts'
import { compareToSpan, relativeSpan } from './relative-dates.ts'
import { errors } from './rest-errors.ts'
import type { FieldDef, ObjectDef, Schema } from './sobject-schema.ts'
import type { Condition, Literal, OrderItem, SelectItem, SoqlQuery } from './soql-parser.ts'

export type QueryEnv = {
  schema: Schema
  store: RecordStore
  version: string
  includeDeleted: boolean
  now: () => Date
}
export type QueryOutcome = { totalSize: number; records: Record<string, unknown>[] }

type Row = { obj: ObjectDef; data: RecordData }

function noSuchColumn(name: string, obj: ObjectDef): Error {
  return errors.invalidField(`No such column '${name}' on entity '${obj.name}'`)
}

/** Checks a dotted path against the schema and returns the leaf field. */
function resolvePath(schema: Schema, obj: ObjectDef, path: string[]): FieldDef {
  const [head, ...rest] = path
  if (head === undefined) throw errors.malformedQuery('empty field path')
  if (rest.length === 0) {
    const field = schema.field(obj, head)
    if (!field) throw noSuchColumn(head, obj)
    return field
  }
  const lookup = schema.parentRelationship(obj, head)
  if (!lookup)
    throw errors.invalidField(`Didn't understand relationship '${head}' in field path of ${obj.name}`)
  const parent = lookup.referenceTo.map((t) => schema.object(t)).find((o) => o !== undefined)
  if (!parent) throw errors.invalidField(`Relationship '${head}' on ${obj.name} cannot be queried here`)
  return resolvePath(schema, parent, rest)
}

function parentRow(env: QueryEnv, row: Row, relationship: string): Row | null {
  const lookup = env.schema.parentRelationship(row.obj, relationship)
  const id = lookup ? row.data[lookup.name] : null
  if (typeof id !== 'string') return null
  const rec = env.store.get(id)
  const obj = rec && !rec.deleted ? env.schema.object(rec.sobject) : undefined
  return rec && obj ? { obj, data: rec.data } : null
}

function valueAt(
  env: QueryEnv,
  row: Row,
  path: string[],
): { value: StoredValue; field: FieldDef | undefined } {
  const [head, ...rest] = path
  if (head === undefined) return { value: null, field: undefined }
  if (rest.length === 0) {
    const field = env.schema.field(row.obj, head)
    return { value: field ? (row.data[field.name] ?? null) : null, field }
  }
  const parent = parentRow(env, row, head)
  return parent ? valueAt(env, parent, rest) : { value: null, field: undefined }
}

/** Literal converted to the stored form of `field`, so comparisons are like for like. */
function literalValue(lit: Literal, field: FieldDef | undefined): StoredValue {
  switch (lit.kind) {
    case 'null':
    case 'relativeDate':
      return null
    case 'string':
      if (field?.kind === 'id' || field?.kind === 'reference') return normalizeId(lit.value) ?? lit.value
      return lit.value
    default:
      return lit.value
  }
}

function ordered(a: StoredValue, b: StoredValue, field: FieldDef | undefined): number {
  if (field?.kind === 'datetime' && typeof a === 'string' && typeof b === 'string') {
    return (parseDateTime(a)?.getTime() ?? 0) - (parseDateTime(b)?.getTime() ?? 0)
  }
  const x = compareKey(a)
  const y = compareKey(b)
  if (typeof x === 'number' && typeof y === 'number') return x - y
  const sx = String(x)
  const sy = String(y)
  return sx < sy ? -1 : sx > sy ? 1 : 0
}

function likeRegex(pattern: string): RegExp {
  let src = ''
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern.charAt(i)
    if (ch === '\\' && i + 1 < pattern.length)
      src += pattern.charAt(++i).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    else if (ch === '%') src += '.*'
    else if (ch === '_') src += '.'
    else src += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${src}$`, 'is')
}

function matches(env: QueryEnv, row: Row, cond: Condition): boolean {
  switch (cond.kind) {
    case 'and':
      return cond.items.every((c) => matches(env, row, c))
    case 'or':
      return cond.items.some((c) => matches(env, row, c))
    case 'not':
      return !matches(env, row, cond.item)
    case 'in': {
      const { value, field } = valueAt(env, row, cond.path)
      const found = cond.values.some(
        (lit) => value !== null && ordered(value, literalValue(lit, field), field) === 0,
      )
      return cond.negated ? !found : found
    }
    case 'compare': {
      const { value, field } = valueAt(env, row, cond.path)
      if (cond.value.kind === 'relativeDate') {
        return compareToSpan(value, cond.op, relativeSpan(cond.value.name, cond.value.n, env.now()))
      }
      const lit = literalValue(cond.value, field)
      if (cond.op === 'like') return typeof value === 'string' && likeRegex(String(lit)).test(value)
      if (lit === null || value === null) {
        const same = lit === value
        return cond.op === '=' ? same : cond.op === '!=' ? !same : false
      }
      const c = ordered(value, lit, field)
      const results = { '=': c === 0, '!=': c !== 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }
      return results[cond.op]
    }
  }
}

function sortRows(env: QueryEnv, rows: Row[], orderBy: OrderItem[]): Row[] {
  if (orderBy.length === 0) return rows
  return [...rows].sort((a, b) => {
    for (const o of orderBy) {
      const x = valueAt(env, a, o.path)
      const y = valueAt(env, b, o.path).value
      if (x.value === null && y === null) continue
      if (x.value === null || y === null) return (x.value === null) === o.nullsLast ? 1 : -1
      const c = ordered(x.value, y, x.field)
      if (c !== 0) return o.desc ? -c : c
    }
    return 0
  })
}

function header(env: QueryEnv, row: Row): { type: string; url: string } {
  return { type: row.obj.name, url: recordUrl(env.version, row.obj.name, String(row.data.Id ?? '')) }
}

/** Writes one selected path into `out`, nesting parents as `{attributes, ...}` or null. */
function project(env: QueryEnv, row: Row, path: string[], out: Record<string, unknown>): void {
  const [head, ...rest] = path
  if (head === undefined) return
  if (rest.length === 0) {
    const field = env.schema.field(row.obj, head)
    if (field) out[field.name] = fieldValue(env.version, row.obj, field, row.data)
    return
  }
  const lookup = env.schema.parentRelationship(row.obj, head)
  const name = lookup?.relationshipName ?? head
  const parent = parentRow(env, row, head)
  if (!parent) {
    out[name] = null
    return
  }
  const existing = out[name]
  const nested =
    existing && typeof existing === 'object'
      ? (existing as Record<string, unknown>)
      : { attributes: header(env, parent) }
  out[name] = nested
  project(env, parent, rest, nested)
}

function selectRows(env: QueryEnv, q: SoqlQuery, obj: ObjectDef, rows: Row[]): QueryOutcome {
  const filtered = sortRows(
    env,
    q.where ? rows.filter((r) => matches(env, r, q.where as Condition)) : rows,
    q.orderBy,
  )
  const sliced = filtered.slice(q.offset ?? 0, q.limit === null ? undefined : (q.offset ?? 0) + q.limit)
  if (q.select.some((s) => s.kind === 'count')) return { totalSize: sliced.length, records: [] }
  const records = sliced.map((row) => {
    const out: Record<string, unknown> = { attributes: header(env, row) }
    for (const item of q.select) selectInto(env, obj, row, item, out)
    return out
  })
  return { totalSize: records.length, records }
}

function selectInto(
  env: QueryEnv,
  obj: ObjectDef,
  row: Row,
  item: SelectItem,
  out: Record<string, unknown>,
): void {
  if (item.kind === 'field') {
    project(env, row, item.path, out)
    return
  }
  if (item.kind !== 'subquery') return
  const rel = env.schema.childRelationship(obj, item.query.from)
  const child = rel ? env.schema.object(rel.childSObject) : undefined
  if (!rel || !child) return
  const rows = env.store
    .list(child.name, false)
    .filter((r) => r.data[rel.field] === row.data.Id)
    .map((r) => ({ obj: child, data: r.data }))
  const result = selectRows(env, item.query, child, rows)
  out[rel.relationshipName] = result.records.length === 0 ? null : { ...result, done: true }
}

function validate(env: QueryEnv, q: SoqlQuery, obj: ObjectDef): void {
  for (const item of q.select) {
    if (item.kind === 'field') resolvePath(env.schema, obj, item.path)
    if (item.kind === 'subquery') {
      const rel = env.schema.childRelationship(obj, item.query.from)
      const child = rel ? env.schema.object(rel.childSObject) : undefined
      if (!child) throw errors.invalidType(`${item.query.from}`)
      validate(env, item.query, child)
    }
  }
  if (q.select.some((s) => s.kind === 'count') && q.select.length > 1) {
    throw errors.malformedQuery('COUNT() must be the only element in the SELECT list')
  }
  const paths = [...q.orderBy.map((o) => o.path), ...conditionPaths(q.where)]
  for (const p of paths) resolvePath(env.schema, obj, p)
}

function conditionPaths(c: Condition | null): string[][] {
  if (!c) return []
  if (c.kind === 'and' || c.kind === 'or') return c.items.flatMap(conditionPaths)
  if (c.kind === 'not') return conditionPaths(c.item)
  return [c.path]
}

/** A real org refuses unfiltered link queries; reproducing that keeps clients honest. */
function checkLinkFilter(obj: ObjectDef, where: Condition | null): void {
  if (obj.name !== 'ContentDocumentLink') return
  const top = where?.kind === 'and' ? where.items : where ? [where] : []
  const linkFields = ['contentdocumentid', 'linkedentityid']
  const ok = top.some((c) => {
    if (c.kind === 'in') return !c.negated && linkFields.includes(c.path.join('.').toLowerCase())
    if (c.kind === 'compare') return c.op === '=' && linkFields.includes(c.path.join('.').toLowerCase())
    return false
  })
  if (!ok) {
    throw errors.malformedQuery(
      'Implementation restriction: ContentDocumentLink must be filtered by ContentDocumentId or LinkedEntityId, with = or IN',
    )
  }
}

export function executeSoql(env: QueryEnv, q: SoqlQuery): QueryOutcome {
  const obj = env.schema.object(q.from)
  if (!obj?.queryable) throw errors.invalidType(q.from)
  validate(env, q, obj)
  checkLinkFilter(obj, q.where)
  const rows = env.store.list(obj.name, env.includeDeleted).map((r) => ({ obj, data: r.data }))
  return selectRows(env, q, obj, rows)
}
