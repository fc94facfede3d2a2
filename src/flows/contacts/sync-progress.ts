/**
 * Progress of a back-fill: on a terminal one line redrawn in place, a bar with the count and
 * an ETA from the rate so far; elsewhere (a pipe, a log) one plain line per batch.
 */
export interface ProgressCounts {
  readonly done: number
  readonly total: number
  readonly created: number
  readonly updated: number
  readonly failed: number
}

export interface ProgressOutput {
  readonly isTTY: boolean
  readonly columns?: number
  write(text: string): void
}

const BAR = 24

export class SyncProgress {
  readonly #out: ProgressOutput
  readonly #clock: () => number
  readonly #started: number
  readonly #startDone: number

  constructor(out: ProgressOutput, clock: () => number, startDone: number) {
    this.#out = out
    this.#clock = clock
    this.#started = clock()
    this.#startDone = startDone
  }

  update(c: ProgressCounts): void {
    const pct = c.total === 0 ? 100 : Math.floor((c.done / c.total) * 100)
    const counts = `created ${c.created}, updated ${c.updated}, failed ${c.failed}`
    const eta = this.#eta(c)
    if (!this.#out.isTTY) {
      this.#out.write(
        `contacts ${c.done}/${c.total} (${pct}%) ${counts}${eta === undefined ? '' : `, ETA ${eta}`}\n`,
      )
      return
    }
    const filled = c.total === 0 ? BAR : Math.round((c.done / c.total) * BAR)
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}]`
    this.#out.write(`\r\x1b[2K${bar} ${c.done}/${c.total} ${pct}% ${counts} ETA ${eta ?? '--'}`)
  }

  finish(): void {
    if (this.#out.isTTY) this.#out.write('\n')
  }

  #eta(c: ProgressCounts): string | undefined {
    const elapsed = this.#clock() - this.#started
    const since = c.done - this.#startDone
    if (since <= 0 || elapsed <= 0) return undefined
    const seconds = Math.ceil(((c.total - c.done) * elapsed) / since / 1000)
    return seconds >= 60
      ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`
      : `${seconds}s`
  }
}
