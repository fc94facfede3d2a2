/**
 * The Salesforce check as an API Gateway REST `REQUEST` Lambda authorizer: the gateway's own
 * enforcer (introspection, local JWT verification, scopes) and contract check, answering with
 * an IAM policy. API Gateway caches the policy per Authorization header for the scheme's TTL and
 * applies it to every method the token calls next, so the policy lists every method of the
 * scheme this identity may call, not only the one asked. Async: current Node.js runtimes have no
 * callback handlers.
 */
import { lambdaAuthorizerContext } from '../auth/salesforce/authorizer-context.ts'
import { checkContractScopes, createSalesforceEnforcer } from '../auth/salesforce/salesforce-enforcer.ts'
import type { SalesforceEnforcer, SalesforceTokenKind, ScopeMode } from '../auth/salesforce/types.ts'
import { isGatewayError } from '../errors/gateway-error.ts'

/** What the export bakes in: the document's facts, never a secret. */
export interface RestAuthorizerSettings {
  readonly scheme: string
  readonly accept: readonly SalesforceTokenKind[]
  readonly scopeMatch: ScopeMode
  /** The API's id in contracts, when the scheme requires one. */
  readonly contractApi: string | undefined
  readonly cacheTtlSeconds: number
  readonly negativeCacheTtlSeconds: number
  readonly routes: readonly {
    readonly method: string
    readonly resourcePath: string
    readonly scopes: readonly string[]
  }[]
}

/** A client's contract for an API as exported beside the authorizer. */
export interface ContractSnapshotEntry {
  readonly status: 'active' | 'suspended' | 'pending'
  readonly scopes: readonly string[]
}
/** clientId → api → contract; a client or API missing is "no contract". */
export type ContractSnapshot = Readonly<Record<string, Readonly<Record<string, ContractSnapshotEntry>>>>

export interface OrgSettings {
  readonly issuer: string
  readonly orgId?: string
  readonly introspection?: { readonly clientId: string; readonly clientSecret: string }
}

export interface RestRequestAuthorizerEvent {
  readonly type: 'REQUEST'
  readonly methodArn: string
  readonly httpMethod: string
  readonly resource: string
  readonly headers?: Readonly<Record<string, string>> | null
  readonly multiValueHeaders?: Readonly<Record<string, readonly string[]>> | null
}

export interface AuthorizerResult {
  readonly principalId: string
  readonly policyDocument: {
    readonly Version: '2012-10-17'
    readonly Statement: readonly { Action: string; Effect: 'Allow' | 'Deny'; Resource: string | string[] }[]
  }
  readonly context: Record<string, string>
}

export interface RestAuthorizerDeps {
  readonly org: () => Promise<OrgSettings>
  readonly contracts: ContractSnapshot
  readonly fetch?: typeof fetch
  readonly clock?: () => number
}

/** API Gateway turns this exact message into its 401 Unauthorized. */
const UNAUTHORIZED = 'Unauthorized'

/**
 * The exported Lambda's handler factory. Imported by the entry module the export writes for
 * esbuild (authorizer-package.ts), which static analysis cannot follow.
 * @public
 */
export function createRestAuthorizer(settings: RestAuthorizerSettings, deps: RestAuthorizerDeps) {
  let enforcer: Promise<SalesforceEnforcer> | undefined
  const enforcerOnce = () => {
    enforcer ??= deps.org().then((org) =>
      createSalesforceEnforcer(
        {
          id: settings.scheme,
          org,
          accept: settings.accept,
          requiredScopes: [],
          scopeMode: settings.scopeMatch,
          cache: {
            ttlSeconds: settings.cacheTtlSeconds,
            negativeTtlSeconds: settings.negativeCacheTtlSeconds,
          },
        },
        {
          ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
          ...(deps.clock === undefined ? {} : { clock: deps.clock }),
        },
      ),
    )
    return enforcer
  }

  return async function handler(event: RestRequestAuthorizerEvent): Promise<AuthorizerResult> {
    const base = await enforcerOnce()
    const authorization = headerValues(event, 'authorization')
    let identity: Awaited<ReturnType<SalesforceEnforcer['authenticate']>>
    try {
      identity = await base.authenticate(authorization)
    } catch (err) {
      // 401 (no, malformed or rejected token) is API Gateway's Unauthorized; the org not
      // answering fails the request (500), never an allow.
      if (isGatewayError(err) && (err.status === 401 || err.status === 400)) throw new Error(UNAUTHORIZED)
      throw err
    }
    const [arnPrefix, stage] = event.methodArn.split('/')
    const allowed: string[] = []
    for (const route of settings.routes)
      if (await mayCall(base, authorization, route.scopes, identity))
        allowed.push(`${arnPrefix}/${stage}/${route.method}${resourceOf(route.resourcePath)}`)
    const context = lambdaAuthorizerContext(identity)
    const principalId = identity.userId
    if (!allowed.includes(`${arnPrefix}/${stage}/${event.httpMethod}${resourceOf(event.resource)}`))
      return policy(principalId, 'Deny', event.methodArn, context)
    return policy(principalId, 'Allow', allowed, context)
  }

  async function mayCall(
    base: SalesforceEnforcer,
    authorization: readonly string[] | undefined,
    scopes: readonly string[],
    identity: { readonly clientId: string | undefined; readonly scopes: readonly string[] },
  ): Promise<boolean> {
    try {
      // The identity is cached: this checks the route's scopes, with no call to the org.
      await base
        .forRoute({ requiredScopes: scopes, scopeMode: settings.scopeMatch })
        .authenticate(authorization)
      if (settings.contractApi === undefined) return true
      if (identity.clientId === undefined) return false
      const contract = deps.contracts[identity.clientId]?.[settings.contractApi]
      if (contract?.status !== 'active') return false
      checkContractScopes(identity.scopes, contract.scopes, {
        requiredScopes: scopes,
        scopeMode: settings.scopeMatch,
      })
      return true
    } catch (err) {
      if (isGatewayError(err) && err.status === 403) return false
      throw err
    }
  }
}

/** `/orders/{orderId}` → `/orders/*`: a policy resource names the path, whatever the parameter. */
function resourceOf(resourcePath: string): string {
  return resourcePath.replace(/\{[^/]+\}/g, '*')
}

function headerValues(event: RestRequestAuthorizerEvent, name: string): string[] | undefined {
  for (const [key, values] of Object.entries(event.multiValueHeaders ?? {}))
    if (key.toLowerCase() === name) return [...values]
  for (const [key, value] of Object.entries(event.headers ?? {}))
    if (key.toLowerCase() === name) return [value]
  return undefined
}

function policy(
  principalId: string,
  effect: 'Allow' | 'Deny',
  resource: string | string[],
  context: Record<string, string>,
): AuthorizerResult {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
    },
    context,
  }
}
