import { createJwtAuthorizer, type JwtAuthorizer } from '../auth/jwt/jwt-authorizer.ts'
import {
  AuthorizerConfigError,
  type LambdaAuthorizerConfig,
} from '../auth/lambda-authorizer/authorizer-config.ts'
import { createLambdaAuthorizer, type LambdaAuthorizer } from '../auth/lambda-authorizer/lambda-authorizer.ts'
import {
  createSalesforceEnforcer,
  type SalesforceEnforcer,
  type SalesforceOrgConfig,
} from '../auth/salesforce/index.ts'
import type { LambdaInvoker } from '../aws/lambda-invoker.ts'
import type { ApiDefinition, RouteSpec, SecuritySchemeSpec } from '../config/openapi/api-definition.ts'
import { type AuthorizerSpec, readAuthorizerScheme } from '../config/openapi/read-authorizer-scheme.ts'
import { hasSalesforceExtension, readSalesforceScheme } from '../config/openapi/read-salesforce-scheme.ts'
import { readSessionScheme } from '../config/openapi/read-session-scheme.ts'
import type { ApiDialect } from '../dialect/api-dialect.ts'
import { ConfigError, ConfigErrors } from '../errors/config-error.ts'
import { bearerCredential, createIdentityChecks, sessionCredential } from './identity-route-check.ts'
import { jwtRouteAuth } from './jwt-route-auth.ts'
import { invokeByName, lambdaRouteAuth } from './lambda-route-auth.ts'
import { type PartnerChecks, salesforceRouteAuth } from './salesforce-route-auth.ts'
import type { RouteAuth } from './types.ts'

export interface AuthDeps {
  readonly invoker: LambdaInvoker
  readonly clock: () => number
  readonly loadFunction: (name: string, arn: string, origin: string) => Promise<void>
  readonly lineOf: (pointer: string) => number | undefined
  readonly fetch?: typeof fetch
  /** Trusted Salesforce orgs by name, secrets already resolved. */
  readonly salesforceOrgs: ReadonlyMap<string, SalesforceOrgConfig & { readonly timeoutMs: number }>
  readonly partners: PartnerChecks | undefined
  /** Browser-session auth from the portal's store; undefined when no portal is configured. */
  readonly sessionAuth?: ((dialect: ApiDialect) => RouteAuth) | undefined
}

/**
 * Compiles route security into the identify/authenticate/authorize stages. Authorizers are
 * built once per security scheme and shared by every route that names it, which is what makes
 * API Gateway's result cache span routes (and its famous cached-policy pitfall).
 */
export function createRouteAuthCompiler(deps: AuthDeps) {
  const lambdas = new Map<string, LambdaAuthorizer>()
  const jwts = new Map<string, JwtAuthorizer>()
  const arns = new Map<string, string>()
  const salesforce = new Map<string, SalesforceEnforcer>()
  const invoke = invokeByName(deps.invoker, arns)
  const withRequirement = createIdentityChecks(deps)

  return async function compileRouteAuth(
    route: RouteSpec,
    api: ApiDefinition,
    dialect: ApiDialect,
  ): Promise<RouteAuth | undefined> {
    const requirement = route.security.find((r) => r.length > 0)
    if (requirement === undefined) return undefined
    if (route.security.length > 1 || requirement.length > 1) {
      throw new ConfigError(
        api.file,
        route.securityPointer,
        'expected one security requirement with one scheme (API Gateway allows one authorizer per method)',
        deps.lineOf(route.securityPointer),
      )
    }
    const { scheme: name, scopes } = requirement[0]!
    const scheme = api.securitySchemes.get(name)!
    const payload =
      route.integration?.type === 'aws_proxy' ? route.integration.payloadFormatVersion : undefined
    if (hasSalesforceExtension(scheme)) return salesforceAuth(name, scheme, scopes, api, payload, dialect)
    if (scheme.raw['x-forcegate-session'] !== undefined) {
      if (deps.sessionAuth === undefined) {
        const pointer = `${scheme.pointer}/x-forcegate-session`
        throw new ConfigError(
          api.file,
          pointer,
          'browser sessions need the portal section in forcegate.yaml',
          deps.lineOf(pointer),
        )
      }
      const session = readSessionScheme(api.file, scheme, deps.lineOf)
      const ttlSeconds = session.cacheTtlSeconds
      const auth = deps.sessionAuth(dialect)
      return withRequirement(auth, name, session.require, { ttlSeconds, timeoutMs: 3000 }, sessionCredential)
    }
    const spec = readAuthorizerScheme(api.file, scheme, dialect, deps.lineOf)
    if (spec.type === 'jwt') {
      let authorizer = jwts.get(name)
      if (authorizer === undefined) {
        authorizer = createJwtAuthorizer(
          { id: name, identitySource: spec.identitySource, issuer: spec.issuer, audience: spec.audience },
          { clock: deps.clock, ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }) },
        )
        jwts.set(name, authorizer)
      }
      return jwtRouteAuth(authorizer, scopes, dialect.identityContext('jwt', payload))
    }
    let authorizer = lambdas.get(name)
    if (authorizer === undefined) {
      authorizer = await buildLambdaAuthorizer(name, spec, api)
      lambdas.set(name, authorizer)
    }
    const cache = spec.ttlSeconds === 0 ? 'no cache' : `cache ${spec.ttlSeconds} s`
    return lambdaRouteAuth(
      authorizer,
      `lambda ${spec.type.toUpperCase()} authorizer '${name}' → ${spec.functionName} (${cache})`,
      dialect.lambdaAuthorizerContext(payload),
    )
  }

  function salesforceAuth(
    name: string,
    scheme: SecuritySchemeSpec,
    scopes: readonly string[],
    api: ApiDefinition,
    payload: '1.0' | '2.0' | undefined,
    dialect: ApiDialect,
  ): RouteAuth {
    const sf = readSalesforceScheme(
      api.file,
      scheme,
      api.title,
      new Set(deps.salesforceOrgs.keys()),
      deps.lineOf,
    )
    if (sf.contract && deps.partners === undefined) {
      throw new ConfigError(
        api.file,
        sf.pointer,
        'contract: required needs the partners section in forcegate.yaml (or set contract: none)',
        deps.lineOf(sf.pointer),
      )
    }
    let enforcer = salesforce.get(name)
    if (enforcer === undefined) {
      const org = deps.salesforceOrgs.get(sf.org)!
      try {
        enforcer = createSalesforceEnforcer(
          {
            id: name,
            org,
            accept: sf.accept,
            requiredScopes: [],
            scopeMode: sf.scopeMatch,
            cache: { ttlSeconds: sf.cacheTtlSeconds, negativeTtlSeconds: sf.negativeCacheTtlSeconds },
            timeoutMs: org.timeoutMs,
          },
          { clock: deps.clock, ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }) },
        )
      } catch (err) {
        throw new ConfigError(api.file, sf.pointer, (err as Error).message, deps.lineOf(sf.pointer))
      }
      salesforce.set(name, enforcer)
    }
    // One enforcer per scheme: every route shares its caches and in-flight introspections.
    const routeEnforcer = enforcer.forRoute({ requiredScopes: scopes, scopeMode: sf.scopeMatch })
    const auth = salesforceRouteAuth(
      routeEnforcer,
      sf,
      scopes,
      deps.partners,
      dialect.identityContext('lambda', payload),
    )
    const org = deps.salesforceOrgs.get(sf.org)!
    const cache = { ttlSeconds: sf.cacheTtlSeconds, timeoutMs: org.timeoutMs }
    return withRequirement(auth, name, sf.require, cache, bearerCredential(org.issuer))
  }

  async function buildLambdaAuthorizer(
    name: string,
    spec: Exclude<AuthorizerSpec, { type: 'jwt' }>,
    api: ApiDefinition,
  ): Promise<LambdaAuthorizer> {
    // The settings and the function module are both checked, so one run reports both.
    const errors: ConfigError[] = []
    let authorizer: LambdaAuthorizer | undefined
    try {
      authorizer = createLambdaAuthorizer(
        {
          id: name,
          dialect: api.dialect,
          type: spec.type,
          functionName: spec.functionName,
          identitySources: spec.identitySources,
          ...(spec.identityValidationExpression === undefined
            ? {}
            : { identityValidationExpression: spec.identityValidationExpression }),
          ttlSeconds: spec.ttlSeconds,
          payloadFormatVersion: spec.payloadFormatVersion,
          simpleResponses: spec.simpleResponses,
          timeoutMs: spec.timeoutMs,
        },
        { invoke, clock: deps.clock },
      )
    } catch (err) {
      if (!(err instanceof AuthorizerConfigError)) throw err
      for (const issue of err.issues) {
        const pointer = pointerOf(issue.field, spec)
        errors.push(new ConfigError(api.file, pointer, `expected ${issue.expected}`, deps.lineOf(pointer)))
      }
    }
    try {
      await deps.loadFunction(spec.functionName, spec.functionArn, `${api.file}#${spec.pointer}`)
    } catch (err) {
      if (err instanceof ConfigError) errors.push(err)
      else if (err instanceof ConfigErrors) errors.push(...err.errors)
      else throw err
    }
    if (errors.length > 0 || authorizer === undefined)
      throw errors.length === 1 ? errors[0]! : new ConfigErrors(errors)
    arns.set(spec.functionName, spec.functionArn)
    return authorizer
  }
}

/** The key of x-amazon-apigateway-authorizer (or the scheme) each authorizer setting comes from. */
const AUTHORIZER_KEYS: Partial<Record<keyof LambdaAuthorizerConfig, string>> = {
  type: 'type',
  functionName: 'authorizerUri',
  identityValidationExpression: 'identityValidationExpression',
  ttlSeconds: 'authorizerResultTtlInSeconds',
  payloadFormatVersion: 'authorizerPayloadFormatVersion',
  simpleResponses: 'enableSimpleResponses',
}

function pointerOf(
  field: keyof LambdaAuthorizerConfig,
  spec: Exclude<AuthorizerSpec, { type: 'jwt' }>,
): string {
  if (field === 'identitySources') return spec.identitySourcePointer
  const key = AUTHORIZER_KEYS[field]
  return key === undefined ? spec.pointer : `${spec.pointer}/${key}`
}
