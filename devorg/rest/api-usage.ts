// The org's daily API request counter behind `Sforce-Limit-Info`. Persisted with the records,
// so a restart does not hand out a fresh allowance.

import type { RecordStore } from './record-store.ts'

/** A Developer Edition org's daily allocation. */
export const DAILY_API_LIMIT = 15_000

export function createApiUsage(store: RecordStore, now: () => Date) {
  const key = () => `api-usage:${now().toISOString().slice(0, 10)}`
  return {
    used: (): number => Number(store.getMeta(key()) ?? '0'),
    /** Counts one call; returns the new total. */
    count(): number {
      const used = Number(store.getMeta(key()) ?? '0') + 1
      store.setMeta(key(), String(used))
      return used
    },
    header: (used: number): string => `api-usage=${used}/${DAILY_API_LIMIT}`,
  }
}
