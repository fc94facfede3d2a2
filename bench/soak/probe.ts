/**
 * Preloaded into the gateway under soak (`node --import bench/soak/probe.ts …`): once a second it
 * writes one line to stderr with process.memoryUsage() and the event-loop delay of that second
 * (perf_hooks.monitorEventLoopDelay), so the harness sees the heap without an inspector and
 * without a route of the gateway's own. The timer is unref'd: it never keeps the gateway alive.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { PROBE_PREFIX, type ProbeLine } from './probe-line.ts'

const delay = monitorEventLoopDelay({ resolution: 10 })
delay.enable()

const ms = (ns: number): number => Math.round(ns / 1e4) / 100

setInterval(() => {
  const m = process.memoryUsage()
  const line: ProbeLine = {
    t: Date.now(),
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    eldP50: ms(delay.percentile(50)),
    eldP99: ms(delay.percentile(99)),
    eldMax: ms(delay.max),
  }
  delay.reset()
  process.stderr.write(`${PROBE_PREFIX}${JSON.stringify(line)}\n`)
}, 1000).unref()
