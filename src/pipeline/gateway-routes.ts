import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Integration, IntegrationCall, IntegrationResult } from '../integrations/types.ts'
import { sha256Bytes } from '../lib/digest.ts'
import type { CompiledRoute } from './types.ts'

/** A route the gateway answers itself, in the same router and stages as the API's routes. */
export interface GatewayRoute extends CompiledRoute {
  /** Who serves it (`portal`, `partners admin API`, `health`), for configuration errors. */
  readonly owner: string
  /** True when an API route at `resourcePath` would collide with this one. */
  owns(resourcePath: string): boolean
}

/**
 * Writes its own answer. A handler that takes a body gets it as the integrate stage read it,
 * with the gateway's one capped reader; the others read the request as Node gives it.
 */
export type OwnedHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<unknown>

const NO_BODY = Buffer.alloc(0)

const STREAMED: IntegrationResult = Object.freeze({ kind: 'streamed' })

/**
 * `ANY <prefix>` and `ANY <prefix>/{proxy+}`: everything under a prefix, for one handler. With
 * `body`, the integrate stage reads the request body (refusing more than `maxBytes`, 413) and
 * hands it to the handler.
 */
export function ownedPrefix(
  owner: string,
  prefix: string,
  handler: () => OwnedHandler,
  body?: { readonly maxBytes: number },
): GatewayRoute[] {
  const integration: Integration = {
    type: 'gateway',
    description: owner,
    needsBody: body !== undefined,
    ...(body === undefined ? {} : { maxBodyBytes: body.maxBytes }),
    async invoke(call: IntegrationCall): Promise<IntegrationResult> {
      await handler()(call.incoming, call.outgoing, call.view.request.body ?? NO_BODY)
      return STREAMED
    },
  }
  const owns = (path: string) => path === prefix || path.startsWith(`${prefix}/`)
  return [prefix, `${prefix}/{proxy+}`].map((resourcePath) =>
    Object.freeze({
      method: 'ANY',
      resourcePath,
      routeKey: `ANY ${resourcePath}`,
      auth: undefined,
      integration,
      owner,
      owns,
    }),
  )
}

/** A fixed JSON answer (health endpoints), decided per request by `answer`. */
export function ownedJson(
  owner: string,
  resourcePath: string,
  answer: () =>
    | { readonly status: number; readonly body: string }
    | Promise<{ readonly status: number; readonly body: string }>,
): GatewayRoute {
  return Object.freeze({
    method: 'GET',
    resourcePath,
    routeKey: `GET ${resourcePath}`,
    auth: undefined,
    integration: {
      type: 'gateway',
      description: owner,
      needsBody: false,
      sideEffectFree: true,
      async invoke(): Promise<IntegrationResult> {
        const { status, body } = await answer()
        return {
          kind: 'buffered',
          response: {
            status,
            headers: [
              ['content-type', 'application/json'],
              ['cache-control', 'no-store'],
            ],
            body,
          },
        }
      },
    },
    owner,
    owns: (path: string) => path === resourcePath,
  })
}

/**
 * `/_forcegate/health`: the process answers. `/_forcegate/ready`: it takes traffic: routes are
 * compiled (it exists), it is not draining, and every shared store answers (503 naming those
 * that do not, so a load balancer sends the traffic elsewhere while they are away).
 */
export function healthRoutes(
  draining: () => boolean,
  storeProblems: () => Promise<readonly string[]> = async () => [],
): GatewayRoute[] {
  return [
    ownedJson('health', '/_forcegate/health', () => ({ status: 200, body: '{"status":"ok"}' })),
    ownedJson('health', '/_forcegate/ready', async () => {
      if (draining()) return { status: 503, body: '{"status":"draining"}' }
      const problems = await storeProblems()
      return problems.length === 0
        ? { status: 200, body: '{"status":"ready"}' }
        : { status: 503, body: JSON.stringify({ status: 'unavailable', stores: problems }) }
    }),
  ]
}

/** Where the gateway's Prometheus metrics are served. */
export const METRICS_PATH = '/_forcegate/metrics'

/**
 * `/_forcegate/metrics` on the API's listener, behind a bearer token as the admin API is: 401
 * without one, 403 with another, compared as hashes so the time says nothing about the token.
 */
export function metricsRoute(
  metrics: { render(): Promise<string>; readonly contentType: string },
  token: string,
): GatewayRoute {
  const expected = sha256Bytes(token)
  return Object.freeze({
    method: 'GET',
    resourcePath: METRICS_PATH,
    routeKey: `GET ${METRICS_PATH}`,
    auth: undefined,
    integration: {
      type: 'gateway',
      description: 'metrics',
      needsBody: false,
      sideEffectFree: true,
      async invoke(call: IntegrationCall): Promise<IntegrationResult> {
        const header = call.incoming.headers.authorization
        const match = typeof header === 'string' ? /^Bearer +([^\s]+) *$/i.exec(header) : null
        if (match === null)
          return plain(401, '{"message":"a bearer token is required"}', 'application/json', [
            ['www-authenticate', 'Bearer realm="forcegate-metrics"'],
          ])
        if (!timingSafeEqual(sha256Bytes(match[1]!), expected))
          return plain(403, '{"message":"the bearer token is not the metrics token"}', 'application/json')
        return plain(200, await metrics.render(), metrics.contentType)
      },
    },
    owner: 'metrics',
    owns: (path: string) => path === METRICS_PATH,
  })
}

function plain(
  status: number,
  body: string,
  contentType: string,
  extra: readonly (readonly [string, string])[] = [],
): IntegrationResult {
  return {
    kind: 'buffered',
    response: {
      status,
      headers: [['content-type', contentType], ['cache-control', 'no-store'], ...extra],
      body,
    },
  }
}
