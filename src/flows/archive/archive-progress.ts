// How a run looks while it works: a bar redrawn in place on a terminal, one plain line per
// Opportunity otherwise (logs, CI, pipes).

import type { ArchiveProgress } from './archive-opportunities.ts'

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = n / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${units[unit]}`
}

export function progressBar(done: number, total: number, width = 24): string {
  const filled = total <= 0 ? width : Math.min(width, Math.round((done / total) * width))
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`
}

export interface ProgressView {
  /** Text to write for the event: a redraw (starting with \r) or whole lines. */
  onEvent(event: ArchiveProgress): string
  /** What ends the display before the summary (the bar's newline). */
  finish(): string
}

export function progressView(tty: boolean): ProgressView {
  let total = 0
  let done = 0
  let objects = 0
  let bytes = 0
  let drawn = false
  const bar = () =>
    `\r${progressBar(done, total)} ${done}/${total} opportunities · ${objects} objects · ${formatBytes(bytes)}`
  return {
    onEvent(event) {
      if (event.kind === 'total') {
        total = event.total
        if (!tty) return `${total} opportunities selected\n`
      } else {
        done++
        objects += event.uploaded
        bytes += event.bytes
        if (!tty)
          return event.status === 'unchanged'
            ? `unchanged ${event.id} ${event.name}\n`
            : `archived ${event.id} ${event.name} (${event.uploaded} objects, ${formatBytes(event.bytes)})\n`
      }
      drawn = true
      return bar()
    },
    finish: () => (tty && drawn ? '\n' : ''),
  }
}
