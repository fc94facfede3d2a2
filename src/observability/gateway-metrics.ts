import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { Registry } from 'prom-client'
import { CellCounter, CellHistogram, type CounterCell, type HistogramCell } from './metric-cells.ts'
import {
  AUTHORIZER_CHANNEL,
  type AuthorizerFact,
  IDENTITY_CACHE_CHANNEL,
  ORG_CALL_CHANNEL,
  type OrgCallFact,
  RELAY_CHANNEL,
  type RelayFact,
} from './metric-facts.ts'

export { checkedMetricsOptions, type MetricsOptions } from './metrics-options.ts'

/** Seconds, from a cached answer to a slow integration behind a cold Lambda. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

/** The 429s a usage plan answers, by the limit that refused. */
const USAGE_LIMITS: Readonly<Record<string, string>> = {
  GW_THROTTLED: 'throttle',
  GW_QUOTA_EXCEEDED: 'quota',
}

/**
 * What the metrics read of a request once it is answered: facts the stages set anyway (the
 * pipeline's request context has this shape), nothing recorded for them.
 */
export interface ObservedRequest {
  readonly incoming: { readonly method?: string | undefined }
  readonly res: ServerResponse
  readonly route: { readonly routeKey: string; readonly integration: { readonly type: string } } | undefined
  /** Milliseconds around the integration's call, when it was called. */
  readonly integrationLatency: number | undefined
  readonly failure: { readonly code: string } | undefined
  readonly grants: { readonly contract?: { readonly usagePlan: string | undefined } | undefined } | undefined
}

export interface GatewayMetrics {
  /** Counts `request` when its response finishes; called as it starts. */
  observe(request: ObservedRequest): void
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>
  readonly contentType: string
  /** Stops listening to the gateway's facts. */
  close(): void
}

/** One route and method's series, found once and kept: a request adds to numbers. */
interface RouteSeries {
  readonly statuses: Map<number, CounterCell>
  readonly latency: HistogramCell
  integration: HistogramCell | undefined
}

/**
 * Requests are counted from what their context holds when the response finishes (route,
 * method, status, latencies, the usage plan that refused); decisions made deeper (Lambda
 * authorizers, the identity cache, calls to the org, the relay) arrive on their own
 * diagnostics channels, published only while these metrics listen. Nothing here needs the
 * per-request decision trail.
 */
export function createGatewayMetrics(): GatewayMetrics {
  const registry = new Registry()
  const requests = new CellCounter(
    'forcegate_requests_total',
    'Requests answered, by route, method and status',
    ['route', 'method', 'status'],
    registry,
  )
  const latency = new CellHistogram(
    'forcegate_request_duration_seconds',
    'Time from receiving a request to finishing its response',
    ['route', 'method'],
    LATENCY_BUCKETS,
    registry,
  )
  const integrationLatency = new CellHistogram(
    'forcegate_integration_duration_seconds',
    "Time the route's integration took to answer (to its response head when streamed), by route and integration type",
    ['route', 'integration'],
    LATENCY_BUCKETS,
    registry,
  )
  const authorizerLatency = new CellHistogram(
    'forcegate_authorizer_duration_seconds',
    'Lambda authorizer invocations, by authorizer',
    ['authorizer'],
    LATENCY_BUCKETS,
    registry,
  )
  const authorizerDecisions = new CellCounter(
    'forcegate_authorizer_decisions_total',
    'Lambda authorizer decisions, by authorizer, cache result (none: refused before the cache) and outcome',
    ['authorizer', 'cache', 'outcome'],
    registry,
  )
  const identityCache = new CellCounter(
    'forcegate_identity_cache_total',
    'Salesforce identity cache lookups, by result (hit, miss, negative_hit, joined)',
    ['result'],
    registry,
  )
  const orgCalls = new CellCounter(
    'forcegate_org_calls_total',
    'Calls to a Salesforce org, by kind and outcome (ok, refused, failed, retried: a transient answer tried again)',
    ['kind', 'outcome'],
    registry,
  )
  const usageRefusals = new CellCounter(
    'forcegate_usage_plan_refusals_total',
    'Requests refused by a usage plan (429), by plan and limit (throttle, quota)',
    ['plan', 'limit'],
    registry,
  )
  const relayEvents = new CellCounter(
    'forcegate_relay_events_total',
    'Platform events the relay handled, by subscription and outcome (received, delivered, retried, dead_lettered)',
    ['subscription', 'outcome'],
    registry,
  )

  const routes = new Map<string, Map<string, RouteSeries>>()
  const seriesOf = (route: string, method: string): RouteSeries => {
    let methods = routes.get(route)
    if (methods === undefined) {
      methods = new Map()
      routes.set(route, methods)
    }
    let series = methods.get(method)
    if (series === undefined) {
      series = { statuses: new Map(), latency: latency.cell(route, method), integration: undefined }
      methods.set(method, series)
    }
    return series
  }

  const count = (request: ObservedRequest, started: number): void => {
    const { route, res } = request
    const routeKey = route?.routeKey ?? 'unmatched'
    const method = request.incoming.method ?? 'UNKNOWN'
    const series = seriesOf(routeKey, method)
    const status = res.statusCode
    let cell = series.statuses.get(status)
    if (cell === undefined) {
      cell = requests.cell(routeKey, method, String(status))
      series.statuses.set(status, cell)
    }
    cell.value++
    latency.observe(series.latency, (performance.now() - started) / 1000)
    if (request.integrationLatency !== undefined && route !== undefined) {
      series.integration ??= integrationLatency.cell(routeKey, route.integration.type)
      integrationLatency.observe(series.integration, request.integrationLatency / 1000)
    }
    if (status === 429 && request.failure !== undefined) {
      const limit = USAGE_LIMITS[request.failure.code]
      if (limit !== undefined)
        usageRefusals.cell(request.grants?.contract?.usagePlan ?? 'unknown', limit).value++
    }
  }

  const onAuthorizer = (message: unknown): void => {
    const fact = message as AuthorizerFact
    authorizerDecisions.cell(fact.authorizer, fact.cache, fact.outcome).value++
    if (fact.latencyMs !== undefined) observe(authorizerLatency, fact.authorizer, fact.latencyMs)
  }
  const onIdentityCache = (message: unknown): void => {
    identityCache.cell(message as string).value++
  }
  const onOrgCall = (message: unknown): void => {
    const fact = message as OrgCallFact
    orgCalls.cell(fact.kind, fact.outcome).value++
  }
  const onRelay = (message: unknown): void => {
    const fact = message as RelayFact
    relayEvents.cell(fact.subscription, fact.outcome).value++
  }
  const listeners = [
    [AUTHORIZER_CHANNEL, onAuthorizer],
    [IDENTITY_CACHE_CHANNEL, onIdentityCache],
    [ORG_CALL_CHANNEL, onOrgCall],
    [RELAY_CHANNEL, onRelay],
  ] as const
  for (const [name, listener] of listeners) subscribe(name, listener)

  return {
    observe(request) {
      const started = performance.now()
      // A response finishes once and is not reused: `on` spares `once`'s wrapper.
      request.res.on('finish', () => count(request, started))
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
    close() {
      for (const [name, listener] of listeners) unsubscribe(name, listener)
    },
  }
}

function observe(histogram: CellHistogram, label: string, ms: number): void {
  histogram.observe(histogram.cell(label), ms / 1000)
}
