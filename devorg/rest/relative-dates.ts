// SOQL relative date literals (TODAY, LAST_N_DAYS:n, ...) stand for a span of whole UTC days;
// comparing against one compares against the span's edges.

import type { StoredValue } from './field-values.ts'
import { parseDateTime } from './field-values.ts'
import type { CompareOp, RelativeDate } from './soql-parser.ts'

const DAY = 24 * 60 * 60 * 1000

export function relativeSpan(name: RelativeDate, n: number, now: Date): { start: number; end: number } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  switch (name) {
    case 'TODAY':
      return { start: today, end: today + DAY }
    case 'YESTERDAY':
      return { start: today - DAY, end: today }
    case 'TOMORROW':
      return { start: today + DAY, end: today + 2 * DAY }
    case 'LAST_N_DAYS':
      return { start: today - n * DAY, end: today + DAY }
    case 'NEXT_N_DAYS':
      return { start: today + DAY, end: today + (n + 1) * DAY }
  }
}

/** Date (`YYYY-MM-DD`) or datetime value as epoch milliseconds. */
function toMs(value: StoredValue): number | null {
  if (typeof value !== 'string') return null
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : parseDateTime(value)
  return d ? d.getTime() : null
}

export function compareToSpan(
  value: StoredValue,
  op: CompareOp,
  span: { start: number; end: number },
): boolean {
  const ms = toMs(value)
  if (ms === null) return op === '!='
  const inside = ms >= span.start && ms < span.end
  switch (op) {
    case '=':
      return inside
    case '!=':
      return !inside
    case '<':
      return ms < span.start
    case '<=':
      return ms < span.end
    case '>':
      return ms >= span.end
    case '>=':
      return ms >= span.start
    case 'like':
      return false
  }
}
