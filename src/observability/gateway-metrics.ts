import { AsyncLocalStorage } from 'node:async_hooks'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { Counter, Histogram, Registry } from 'prom-client'
import { ConfigError } from '../errors/config-error.ts'

/** The pipeline's decision channel (named, not imported: observability sits below the pipeline). */
const TRAIL_CHANNEL = 'forcegate:trail'

/** Seconds, from a cached answer to a slow integration behind a cold Lambda. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

/**
 * On the API's listener behind `token` (a bearer token of 16 characters or more, as the admin
 * API's), and/or in the clear on a separate `port` meant for a network only scrapers reach.
 */
export interface MetricsOptions {
  readonly token?: string
  readonly port?: number
  readonly host?: string
}

/** The token metrics are served behind on the API's listener, refused when too short to guess. */
export function checkedMetricsToken(options: MetricsOptions | undefined): string | undefined {
  const token = options?.token
  if (token !== undefined && token.length < 16)
    throw new ConfigError('FORCEGATE_METRICS_TOKEN', '', 'a token of at least 16 characters')
  return token
}

interface RequestState {
  route: string | undefined
}

interface TrailMessage {
  readonly step: string
  readonly detail: Readonly<Record<string, unknown>>
}

export interface GatewayMetrics {
  /** Serves one request through `run`, counting it when its response finishes. */
  observe(req: IncomingMessage, res: ServerResponse, run: () => Promise<void>): Promise<void>
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>
  readonly contentType: string
  /** Stops listening to the pipeline's decisions. */
  close(): void
}

/**
 * Counters and histograms fed by the decisions the stages publish on the trail channel: the
 * request path gains one subscription, not an edit per stage. The route a request matched is
 * tied to its response through the async context the request runs in.
 */
export function createGatewayMetrics(): GatewayMetrics {
  const registry = new Registry()
  const requests = new Counter({
    name: 'forcegate_requests_total',
    help: 'Requests answered, by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  })
  const latency = new Histogram({
    name: 'forcegate_request_duration_seconds',
    help: 'Time from receiving a request to finishing its response',
    labelNames: ['route', 'method'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  })
  const authorizerLatency = new Histogram({
    name: 'forcegate_authorizer_duration_seconds',
    help: 'Lambda authorizer invocations, by authorizer',
    labelNames: ['authorizer'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  })
  const authorizerDecisions = new Counter({
    name: 'forcegate_authorizer_decisions_total',
    help: 'Lambda authorizer decisions, by authorizer, cache result (none: refused before the cache) and outcome',
    labelNames: ['authorizer', 'cache', 'outcome'] as const,
    registers: [registry],
  })
  const identityCache = new Counter({
    name: 'forcegate_identity_cache_total',
    help: 'Salesforce identity cache lookups, by result (hit, miss, negative_hit, joined)',
    labelNames: ['result'] as const,
    registers: [registry],
  })
  const orgCalls = new Counter({
    name: 'forcegate_org_calls_total',
    help: 'Calls to a Salesforce org, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  })
  const usageRefusals = new Counter({
    name: 'forcegate_usage_plan_refusals_total',
    help: 'Requests refused by a usage plan (429), by plan',
    labelNames: ['plan'] as const,
    registers: [registry],
  })
  const current = new AsyncLocalStorage<RequestState>()

  const onStep = (message: unknown): void => {
    const { step, detail } = message as TrailMessage
    switch (step) {
      case 'route': {
        const state = current.getStore()
        if (state !== undefined && typeof detail.routeKey === 'string') state.route = detail.routeKey
        return
      }
      case 'authorizer': {
        const authorizer = String(detail.authorizerId ?? 'unknown')
        authorizerDecisions.inc({
          authorizer,
          cache: String(detail.cache ?? 'none'),
          outcome: String(detail.outcome ?? 'error'),
        })
        if (detail.invoked === true && typeof detail.latencyMs === 'number')
          authorizerLatency.observe({ authorizer }, detail.latencyMs / 1000)
        return
      }
      case 'cache':
        identityCache.inc({ result: String(detail.result) })
        return
      case 'identity facts':
        identityCache.inc({ result: detail.cached === true ? 'hit' : 'miss' })
        return
      case 'org_call':
        orgCalls.inc({ kind: String(detail.call) })
        return
      case 'usage':
        if (detail.allowed === false) usageRefusals.inc({ plan: String(detail.plan) })
        return
      default:
        return
    }
  }
  subscribe(TRAIL_CHANNEL, onStep)

  return {
    observe(req, res, run) {
      const state: RequestState = { route: undefined }
      const started = performance.now()
      res.once('finish', () => {
        const route = state.route ?? 'unmatched'
        const method = req.method ?? 'UNKNOWN'
        requests.inc({ route, method, status: String(res.statusCode) })
        latency.observe({ route, method }, (performance.now() - started) / 1000)
      })
      return current.run(state, run)
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
    close() {
      unsubscribe(TRAIL_CHANNEL, onStep)
    },
  }
}
