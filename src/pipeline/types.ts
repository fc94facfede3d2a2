import type { GatewayResponses } from '../errors/gateway-responses.ts'
import type { Deployment, RequestView } from '../events/request-view.ts'
import type { Router } from '../http/router.ts'
import type { Integration } from '../integrations/types.ts'

/** What a route's authorizer decided for one request (every refusal is thrown as a GatewayError). */
export interface AuthOutcome {
  readonly principalId: string | undefined
  /** `requestContext.authorizer` for Lambda events. */
  readonly authorizerContext: Readonly<Record<string, unknown>> | undefined
  /** Identity headers the gateway vouches for toward HTTP upstreams. */
  readonly identityHeaders: readonly (readonly [string, string])[]
  readonly usageIdentifierKey: string | undefined
  /** Headers for the client's response (e.g. rate-limit state), whatever the integration. */
  readonly responseHeaders?: Readonly<Record<string, string>> | undefined
}

/** Receives what each step decided, for `forcegate explain`; identity values only as hashes. */
export type ExplainSink = (step: Readonly<Record<string, unknown>>) => void

/** The identify → authenticate → authorize stages of one route, compiled from its security. */
export interface RouteAuth {
  /** e.g. `lambda TOKEN authorizer 'bearer' (cache 300 s)`: printed in the route table. */
  readonly description: string
  /** Header names (lower case) stripped from clients because this route's authorizer sets them. */
  readonly trustedHeaderNames: ReadonlySet<string>
  /** `dryRun` (explain): decide as for real, but count nothing against usage plans. */
  authorize(view: RequestView, explain?: ExplainSink, dryRun?: boolean): Promise<AuthOutcome>
}

export interface CompiledRoute {
  readonly method: string
  readonly resourcePath: string
  /** HTTP API route key (`GET /orders/{id}`, `$default`). */
  readonly routeKey: string
  readonly auth: RouteAuth | undefined
  readonly integration: Integration
}

/** The frozen result of compiling configuration; nothing on the request path changes it. */
export interface RouteTable {
  readonly kind: 'rest' | 'http'
  readonly title: string
  readonly stage: string
  readonly stageVariables: Readonly<Record<string, string>> | null
  readonly deployment: Deployment
  readonly router: Router<CompiledRoute>
  readonly routes: readonly CompiledRoute[]
  readonly gatewayResponses: GatewayResponses
  readonly limits: {
    readonly maxBodyBytes: number
    readonly maxUrlBytes: number
    readonly trustedProxyHops: number
  }
  close(): Promise<void>
}
