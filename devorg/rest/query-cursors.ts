// Query paging. A query's full result is kept in memory under a locator (`01g…-<offset>`);
// each page hands out the next slice, as a real org's server-side cursor does. Cursors are
// bounded in number and expire when idle.

import { randomInt } from 'node:crypto'
import { makeId } from './record-id.ts'
import { errors } from './rest-errors.ts'

export const DEFAULT_BATCH_SIZE = 2000
export const MIN_BATCH_SIZE = 200
const IDLE_MS = 15 * 60 * 1000
const MAX_CURSORS = 500

export type QueryPage = {
  totalSize: number
  done: boolean
  nextRecordsUrl?: string
  records: unknown[]
}

type Cursor = { records: unknown[]; totalSize: number; batchSize: number; touched: number }

/** `Sforce-Query-Options: batchSize=N`, clamped to what a real org honours. */
export function batchSizeFrom(header: string | undefined): number {
  const m = /batchSize\s*=\s*(\d+)/i.exec(header ?? '')
  if (!m) return DEFAULT_BATCH_SIZE
  return Math.min(DEFAULT_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Number(m[1])))
}

export function createQueryCursors(now: () => number = Date.now) {
  const cursors = new Map<string, Cursor>()

  function sweep(): void {
    const t = now()
    for (const [id, c] of cursors) if (t - c.touched > IDLE_MS) cursors.delete(id)
    while (cursors.size >= MAX_CURSORS) {
      const oldest = cursors.keys().next().value
      if (oldest === undefined) break
      cursors.delete(oldest)
    }
  }

  function page(cursorId: string, c: Cursor, offset: number, version: string): QueryPage {
    const records = c.records.slice(offset, offset + c.batchSize)
    const end = offset + records.length
    if (end >= c.records.length) {
      cursors.delete(cursorId)
      return { totalSize: c.totalSize, done: true, records }
    }
    c.touched = now()
    return {
      totalSize: c.totalSize,
      done: false,
      nextRecordsUrl: `/services/data/v${version}/query/${cursorId}-${end}`,
      records,
    }
  }

  return {
    first(records: unknown[], totalSize: number, batchSize: number, version: string): QueryPage {
      if (records.length <= batchSize) return { totalSize, done: true, records }
      sweep()
      const cursorId = makeId('01g', randomInt(2 ** 47))
      const cursor = { records, totalSize, batchSize, touched: now() }
      cursors.set(cursorId, cursor)
      return page(cursorId, cursor, 0, version)
    },
    /** The page a locator points at; unknown or expired locators are a client error. */
    more(locator: string, version: string): QueryPage {
      const m = /^(01g[0-9A-Za-z]{15})-(\d+)$/.exec(locator)
      const cursor = m?.[1] ? cursors.get(m[1]) : undefined
      if (!m?.[1] || !cursor || now() - cursor.touched > IDLE_MS) throw errors.invalidQueryLocator()
      return page(m[1], cursor, Number(m[2]), version)
    },
  }
}

export type QueryCursors = ReturnType<typeof createQueryCursors>
