import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Registry } from 'prom-client'
import { CellCounter, CellHistogram } from '../../../src/observability/metric-cells.ts'

test('counter cells render as prom-client series, one per label values, escaped', async () => {
  const registry = new Registry()
  const counter = new CellCounter('t_requests_total', 'Requests', ['route', 'status'], registry)
  counter.cell('GET /a"b', '200').value += 2
  counter.cell('GET /c', '404').value++
  assert.equal(counter.cell('GET /a"b', '200').value, 2, 'the same cell is found again')
  assert.equal(
    await registry.metrics(),
    [
      '# HELP t_requests_total Requests',
      '# TYPE t_requests_total counter',
      't_requests_total{route="GET /a\\"b",status="200"} 2',
      't_requests_total{route="GET /c",status="404"} 1',
      '',
    ].join('\n'),
  )
})

test('histogram cells render cumulative buckets, +Inf, sum and count', async () => {
  const registry = new Registry()
  const histogram = new CellHistogram('t_seconds', 'Latency', ['route'], [0.01, 0.1], registry)
  const cell = histogram.cell('GET /x')
  for (const v of [0.005, 0.01, 0.05, 3]) histogram.observe(cell, v)
  assert.equal(
    await registry.metrics(),
    [
      '# HELP t_seconds Latency',
      '# TYPE t_seconds histogram',
      't_seconds_bucket{route="GET /x",le="0.01"} 2',
      't_seconds_bucket{route="GET /x",le="0.1"} 3',
      't_seconds_bucket{route="GET /x",le="+Inf"} 4',
      't_seconds_sum{route="GET /x"} 3.065',
      't_seconds_count{route="GET /x"} 4',
      '',
    ].join('\n'),
  )
})
