// Converting JSON input to stored values by field kind, and the wire formats Salesforce uses
// for dates and datetimes.

import { normalizeId } from './record-id.ts'
import { errors } from './rest-errors.ts'
import type { FieldDef } from './sobject-schema.ts'

export type StoredValue = string | number | boolean | null

/** `2026-01-31T12:00:00.000+0000`: Salesforce's datetime form (UTC, no colon in the offset). */
export function formatDateTime(d: Date): string {
  return d.toISOString().replace('Z', '+0000')
}

export function parseDateTime(value: string): Date | null {
  const iso = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? null : new Date(ms)
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value)
}

function cannotDeserialize(field: FieldDef, value: unknown): never {
  throw errors.jsonParser(
    `Cannot deserialize instance of ${field.type} from value ${describe(value)} for ${field.name}`,
  )
}

/** Coerces one input value; throws a REST error on a value the field cannot hold. */
export function coerceValue(field: FieldDef, value: unknown): StoredValue {
  if (value === null || value === undefined) return null
  switch (field.kind) {
    case 'string':
    case 'base64':
      if (typeof value === 'string') return value
      if (typeof value === 'number' || typeof value === 'boolean') return String(value)
      return cannotDeserialize(field, value)
    case 'number': {
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && value.trim() !== ''
            ? Number(value)
            : NaN
      return Number.isFinite(n) ? n : cannotDeserialize(field, value)
    }
    case 'boolean':
      if (typeof value === 'boolean') return value
      if (value === 'true' || value === 'false') return value === 'true'
      return cannotDeserialize(field, value)
    case 'date': {
      if (typeof value !== 'string') return cannotDeserialize(field, value)
      const m = /^(\d{4}-\d{2}-\d{2})(T.*)?$/.exec(value)
      if (!m?.[1] || Number.isNaN(Date.parse(m[1]))) return cannotDeserialize(field, value)
      return m[1]
    }
    case 'datetime': {
      const d = typeof value === 'string' ? parseDateTime(value) : null
      return d ? formatDateTime(d) : cannotDeserialize(field, value)
    }
    case 'id':
    case 'reference': {
      if (typeof value !== 'string') return cannotDeserialize(field, value)
      if (value === '') return null
      const id = normalizeId(value)
      if (!id) throw errors.malformedId(value)
      return id
    }
  }
}

/** Case-insensitive comparison key for text; ids and numbers compare as they are. */
export function compareKey(value: StoredValue): StoredValue {
  return typeof value === 'string' ? value.toLowerCase() : value
}
