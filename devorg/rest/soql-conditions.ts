// WHERE and ORDER BY semantics: literals converted to the field's stored form, text compared
// without regard to case, LIKE wildcards, nulls ordered first ascending and last descending.

import { compareKey, parseDateTime, type StoredValue } from './field-values.ts'
import { normalizeId } from './record-id.ts'
import { compareToSpan, relativeSpan } from './relative-dates.ts'
import type { FieldDef } from './sobject-schema.ts'
import type { Condition, Literal, OrderItem } from './soql-parser.ts'
import { type QueryEnv, type Row, valueAt } from './soql-rows.ts'

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

export function matches(env: QueryEnv, row: Row, cond: Condition): boolean {
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

export function sortRows(env: QueryEnv, rows: Row[], orderBy: OrderItem[]): Row[] {
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
