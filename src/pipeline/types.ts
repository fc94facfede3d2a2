import type { ApiDialect } from '../dialect/api-dialect.ts'
import type { GatewayResponses } from '../errors/gateway-responses.ts'
import type { Deployment, RequestView } from '../events/request-view.ts'
import type { Router } from '../http/router.ts'
import type { CallerToken } from '../integrations/salesforce/caller-token.ts'
import type { Integration } from '../integrations/types.ts'

/** What a route's auth decided for one request (every refusal is thrown as a GatewayError). */
export interface AuthOutcome {
  readonly principalId: string | undefined
  /** `requestContext.authorizer` for Lambda events. */
  readonly authorizerContext: Readonly<Record<string, unknown>> | undefined
  /** Identity headers the gateway vouches for toward HTTP upstreams. */
  readonly identityHeaders: readonly (readonly [string, string])[]
  readonly usageIdentifierKey: string | undefined
  /** Headers for the client's response (e.g. rate-limit state), whatever the integration. */
  readonly responseHeaders?: Readonly<Record<string, string>> | undefined
  /** The caller's Salesforce token, for integrations that write as the caller (never logged). */
  readonly callerToken?: CallerToken | undefined
}

/** Receives what each step decided, for `forcegate explain`; identity values only as hashes. */
export type ExplainSink = (step: Readonly<Record<string, unknown>>) => void

/**
 * Who is calling, as an authenticator established it; the checks and enrichers of the same
 * route read it. An authenticator may hand its own result over as the principal (a Lambda
 * authorizer's decision is one), so that authenticating allocates nothing more.
 */
export interface Principal {
  readonly principalId: string | undefined
  /** The authenticator's own result (token claims, Salesforce identity), when it is not the principal itself. */
  readonly identity?: unknown
  /** The Salesforce token the identity was established from (redacted when printed). */
  readonly callerToken?: CallerToken | undefined
}

/** What a stage of the auth chain sees of the request being decided. */
export interface AuthCall {
  readonly view: RequestView
  /** Present when the request is being explained: each step records its decision here. */
  readonly explain: ExplainSink | undefined
  /** Explain: decide as for real, but count nothing against usage plans. */
  readonly dryRun: boolean
}

/**
 * An authorization check: refuses by throwing; may add headers to the client's response. A
 * check that needs no I/O answers synchronously (a value, not a promise).
 */
export interface AuthorizationCheck {
  readonly name: string
  check(
    principal: Principal,
    call: AuthCall,
    grants: Grants,
  ): Promise<Readonly<Record<string, string>> | undefined> | Readonly<Record<string, string>> | undefined
}

/** What earlier checks of the same request established for later ones (a contract for its usage plan). */
export interface Grants {
  contract?: { readonly usagePlan: string | undefined; readonly usageKey: string | undefined } | undefined
}

/** A route's authenticate → authorize → enrich chain, compiled from its security. */
export interface RouteAuth {
  /** e.g. `lambda TOKEN authorizer 'bearer' (cache 300 s)`: printed in the route table. */
  readonly description: string
  /** Header names (lower case) stripped from clients because this route's authorizer sets them. */
  readonly trustedHeaderNames: ReadonlySet<string>
  /** The org a Salesforce authorizer checks tokens of: routes that write as the caller need it. */
  readonly salesforceOrg?: string
  /** Who is calling (401 when nobody); a decision that needs no I/O (a cache hit) is returned, not promised. */
  authenticate(call: AuthCall): Principal | Promise<Principal>
  /** May they: IAM policy, scopes, contract, usage plan, in order. */
  readonly checks: readonly AuthorizationCheck[]
  /** The authorizer context and identity headers the integration receives. */
  enrich(principal: Principal): AuthOutcome
}

/** How a route is answered: an integration, or a handler the gateway owns (admin API, portal, health). */
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
  readonly dialect: ApiDialect
  readonly title: string
  readonly stage: string
  /** `/<stage>` when the routes are also served under their stage (serverless.yml REST events). */
  readonly stagePrefix?: string | undefined
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
