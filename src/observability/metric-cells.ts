import type { Registry } from 'prom-client'

/**
 * Counters and histograms whose series are plain cells: the request path finds a series once
 * (nested maps over its label values, no label object, no joined string) and then only adds
 * to numbers; prom-client's registry renders them when scraped. prom-client's own metrics
 * hash their label object on every observation, which the request path should not pay for.
 */

export interface CounterCell {
  value: number
}

export interface HistogramCell {
  /** Per bucket (the last is +Inf), not cumulative: rendering sums them. */
  readonly counts: number[]
  sum: number
  count: number
}

interface Series<C> {
  readonly labels: Readonly<Record<string, string>>
  readonly cell: C
}

interface PromValue {
  readonly labels: Record<string, string | number>
  readonly value: number
  readonly metricName?: string
}

abstract class CellFamily<C> {
  readonly type: string
  readonly name: string
  readonly help: string
  readonly aggregator = 'sum'
  readonly #labelNames: readonly string[]
  readonly #root = new Map<string, unknown>()
  protected readonly series: Series<C>[] = []

  constructor(type: string, name: string, help: string, labelNames: readonly string[], registry: Registry) {
    this.type = type
    this.name = name
    this.help = help
    this.#labelNames = labelNames
    // The registry renders anything with prom-client's metric shape.
    registry.registerMetric(this as never)
  }

  protected abstract create(): C

  /** The series of these label values (one per label name, in order), created on first use. */
  cell(a: string, b = '', c = ''): C {
    const depth = this.#labelNames.length
    let level = this.#root
    if (depth > 1) level = this.#level(level, a)
    if (depth > 2) level = this.#level(level, b)
    const last = depth === 1 ? a : depth === 2 ? b : c
    const found = level.get(last) as C | undefined
    return found ?? this.#add(level, last, [a, b, c])
  }

  #level(level: Map<string, unknown>, key: string): Map<string, unknown> {
    let next = level.get(key) as Map<string, unknown> | undefined
    if (next === undefined) {
      next = new Map()
      level.set(key, next)
    }
    return next
  }

  #add(level: Map<string, unknown>, last: string, values: readonly string[]): C {
    const created = this.create()
    level.set(last, created)
    const labels = Object.fromEntries(this.#labelNames.map((n, i) => [n, values[i]!]))
    this.series.push({ labels, cell: created })
    return created
  }

  abstract values(): PromValue[]

  async getForPromString() {
    return { name: this.name, help: this.help, type: this.type, values: this.values(), aggregator: 'sum' }
  }

  get() {
    return this.getForPromString()
  }
}

export class CellCounter extends CellFamily<CounterCell> {
  constructor(name: string, help: string, labelNames: readonly string[], registry: Registry) {
    super('counter', name, help, labelNames, registry)
  }

  protected create(): CounterCell {
    return { value: 0 }
  }

  values(): PromValue[] {
    return this.series.map((s) => ({ labels: { ...s.labels }, value: s.cell.value }))
  }
}

export class CellHistogram extends CellFamily<HistogramCell> {
  readonly #bounds: readonly number[]

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    bounds: readonly number[],
    registry: Registry,
  ) {
    super('histogram', name, help, labelNames, registry)
    this.#bounds = bounds
  }

  protected create(): HistogramCell {
    return { counts: new Array<number>(this.#bounds.length + 1).fill(0), sum: 0, count: 0 }
  }

  /** Adds one observation (seconds) to `cell`. */
  observe(cell: HistogramCell, value: number): void {
    const bounds = this.#bounds
    let i = 0
    while (i < bounds.length && value > bounds[i]!) i++
    cell.counts[i]!++
    cell.sum += value
    cell.count++
  }

  values(): PromValue[] {
    const out: PromValue[] = []
    for (const { labels, cell } of this.series) {
      let cumulative = 0
      for (let i = 0; i <= this.#bounds.length; i++) {
        cumulative += cell.counts[i]!
        out.push({
          labels: { ...labels, le: i < this.#bounds.length ? this.#bounds[i]! : '+Inf' },
          value: cumulative,
          metricName: `${this.name}_bucket`,
        })
      }
      out.push({ labels: { ...labels }, value: cell.sum, metricName: `${this.name}_sum` })
      out.push({ labels: { ...labels }, value: cell.count, metricName: `${this.name}_count` })
    }
    return out
  }
}
