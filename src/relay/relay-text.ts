// What `forcegate relay status` and `relay dlq list` print: one line per subscription or dead
// letter, columns aligned, values from the store (event text is the org's: escaped for terminals).

import type { DeadLetter, SubscriptionStatus } from './relay-store.ts'

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g
const safe = (text: string) => text.replace(CONTROL, '?')

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  return `${[line(header), ...rows.map(line)].join('\n')}\n`
}

function age(ms: number): string {
  if (ms < 1000) return `${ms}ms`
  if (ms < 120_000) return `${Math.round(ms / 1000)}s`
  return `${Math.round(ms / 60_000)}m`
}

export function formatStatus(statuses: readonly SubscriptionStatus[], now: number): string {
  if (statuses.length === 0) return 'no subscription has run yet\n'
  const out = table(
    [
      'SUBSCRIPTION',
      'STATE',
      'REPLAY ID',
      'LAG',
      'DELIVERED',
      'RETRIED',
      'DEAD-LETTERED',
      'DUPLICATES',
      'UPDATED',
    ],
    statuses.map((s) => [
      safe(s.subscription),
      s.state,
      s.replayId ?? '-',
      s.lagMs === null ? '-' : age(s.lagMs),
      String(s.delivered),
      String(s.retried),
      String(s.deadLettered),
      String(s.duplicates),
      `${age(Math.max(0, now - s.updatedAt))} ago`,
    ]),
  )
  const errors = statuses
    .filter((s) => s.lastError !== null && s.state !== 'running')
    .map((s) => `${safe(s.subscription)}: ${safe(s.lastError ?? '')}\n`)
  return out + errors.join('')
}

export function formatDeadLetters(letters: readonly DeadLetter[]): string {
  if (letters.length === 0) return 'no dead letters\n'
  return table(
    ['ID', 'SUBSCRIPTION', 'EVENT UUID', 'REPLAY ID', 'ATTEMPTS', 'FAILED AT', 'ERROR'],
    letters.map((l) => [
      String(l.id),
      safe(l.subscription),
      safe(l.eventUuid),
      l.replayId,
      String(l.attempts),
      new Date(l.createdAt).toISOString(),
      safe(l.error).slice(0, 120),
    ]),
  )
}
