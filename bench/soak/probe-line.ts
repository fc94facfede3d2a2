/** The line the gateway's preloaded probe writes each second, and how the harness finds it. */
export const PROBE_PREFIX = 'soak-probe '

export interface ProbeLine {
  readonly t: number
  readonly rss: number
  readonly heapUsed: number
  readonly heapTotal: number
  readonly external: number
  readonly arrayBuffers: number
  /** Event-loop delay over the last second, in milliseconds. */
  readonly eldP50: number
  readonly eldP99: number
  readonly eldMax: number
}
