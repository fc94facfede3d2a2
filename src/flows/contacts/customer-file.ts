/**
 * A customers file read one record at a time: CSV (a header row, then one customer per line;
 * quoted fields may hold commas and doubled quotes, not line breaks) or NDJSON (one JSON
 * object per line). Blank lines are skipped; every record keeps its line number for reports.
 */
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'

export interface CustomerLine {
  /** 1-based line in the file. */
  readonly line: number
  readonly fields: Readonly<Record<string, unknown>> | undefined
  /** Why the line is not a record (malformed JSON, wrong column count). */
  readonly problem?: string
}

export type CustomerFormat = 'csv' | 'ndjson'

export function formatOf(path: string): CustomerFormat | undefined {
  if (/\.csv$/i.test(path)) return 'csv'
  if (/\.(nd)?jsonl?$/i.test(path) || /\.ndjson$/i.test(path)) return 'ndjson'
  return undefined
}

export async function* readCustomers(path: string, format: CustomerFormat): AsyncGenerator<CustomerLine> {
  const lines = createInterface({
    input: createReadStream(path, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  })
  let header: string[] | undefined
  let n = 0
  for await (const raw of lines) {
    n++
    const text = n === 1 ? raw.replace(/^\uFEFF/, '') : raw
    if (text.trim() === '') continue
    if (format === 'ndjson') {
      yield parseJsonLine(n, text)
      continue
    }
    const cells = splitCsv(text)
    if (header === undefined) {
      header = cells.map((c) => c.trim())
      continue
    }
    if (cells.length !== header.length) {
      yield {
        line: n,
        fields: undefined,
        problem: `expected ${header.length} columns, found ${cells.length}`,
      }
      continue
    }
    const fields: Record<string, unknown> = {}
    header.forEach((name, i) => {
      if (cells[i] !== '') fields[name] = cells[i]
    })
    yield { line: n, fields }
  }
}

/** How many records the file holds (blank lines and a CSV header aside), for progress and ETA. */
export async function countCustomers(path: string, format: CustomerFormat): Promise<number> {
  const lines = createInterface({
    input: createReadStream(path, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  })
  let count = 0
  for await (const raw of lines) if (raw.trim() !== '') count++
  return format === 'csv' ? Math.max(0, count - 1) : count
}

function parseJsonLine(line: number, text: string): CustomerLine {
  try {
    const value = JSON.parse(text) as unknown
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return { line, fields: value as Record<string, unknown> }
    return { line, fields: undefined, problem: 'expected a JSON object' }
  } catch {
    return { line, fields: undefined, problem: 'not valid JSON' }
  }
}

function splitCsv(line: string): string[] {
  const out: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"' && cell === '') quoted = true
    else if (ch === ',') {
      out.push(cell)
      cell = ''
    } else cell += ch
  }
  out.push(cell)
  return out
}
