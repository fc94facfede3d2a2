// Runs a parsed query over stored records: resolve names against the schema (so typos get
// Salesforce's errors), filter, sort, slice, then shape rows with nested parents and children.

import { fieldValue, recordUrl } from './record-shape.ts'
import { errors } from './rest-errors.ts'
import type { FieldDef, ObjectDef, Schema } from './sobject-schema.ts'
import { matches, sortRows } from './soql-conditions.ts'
import type { Condition, SelectItem, SoqlQuery } from './soql-parser.ts'
import { parentRow, type QueryEnv, type Row } from './soql-rows.ts'

export type { QueryEnv } from './soql-rows.ts'
export type QueryOutcome = { totalSize: number; records: Record<string, unknown>[] }

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
    .filter((r) => r.data[rel.field] === row.data.Id && (env.canRead?.(r.sobject, r.data) ?? true))
    .map((r) => ({ obj: child, data: r.data }))
  const result = selectRows(env, item.query, child, rows)
  out[rel.relationshipName] =
    result.records.length === 0 ? null : { totalSize: result.totalSize, done: true, records: result.records }
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
  const rows = env.store
    .list(obj.name, env.includeDeleted)
    .filter((r) => env.canRead?.(r.sobject, r.data) ?? true)
    .map((r) => ({ obj, data: r.data }))
  return selectRows(env, q, obj, rows)
}
