import type { LambdaInvoker } from '../aws/lambda-invoker.ts'
import type { GatewayFile } from '../config/gateway-file-schema.ts'
import type { ApiDefinition, IntegrationSpec, RouteSpec } from '../config/openapi/api-definition.ts'
import type { ApiDialect } from '../dialect/api-dialect.ts'
import { ConfigError, ConfigErrors } from '../errors/config-error.ts'
import type { Deployment } from '../events/request-view.ts'
import { DuplicateRouteError, Router } from '../http/router.ts'
import { CorsPolicy } from '../integrations/cors/cors-policy.ts'
import { createPreflightIntegration } from '../integrations/cors/preflight-integration.ts'
import { preflightPaths } from '../integrations/cors/preflight-paths.ts'
import { withCors } from '../integrations/cors/with-cors.ts'
import { createHttpIntegration } from '../integrations/http/http-integration.ts'
import { createHttpProxyIntegration } from '../integrations/http/http-proxy-integration.ts'
import { UpstreamPools } from '../integrations/http/upstream-pools.ts'
import { createLambdaIntegration } from '../integrations/lambda/lambda-integration.ts'
import { createLambdaProxyIntegration } from '../integrations/lambda/lambda-proxy-integration.ts'
import { withRequestValidation } from '../integrations/mapped/validated-integration.ts'
import { createMockIntegration } from '../integrations/mock/mock-integration.ts'
import type { SalesforceConnections } from '../integrations/salesforce/salesforce-connections.ts'
import { createSalesforceIntegration } from '../integrations/salesforce/salesforce-integration.ts'
import type { Integration } from '../integrations/types.ts'
import { withApiKey } from './api-key-route-auth.ts'
import type { GatewayRoute } from './gateway-routes.ts'
import type { CompiledRoute, RouteAuth, RouteTable } from './types.ts'

export interface CompileDeps {
  readonly invoker: LambdaInvoker
  /** Loads a local function module before serving; throws a ConfigError naming the folders searched. */
  readonly loadFunction: (name: string, arn: string, origin: string) => Promise<void>
  /** Builds a route's authorizer from its security requirements, or undefined for none. */
  readonly compileAuth: (
    route: RouteSpec,
    api: ApiDefinition,
    dialect: ApiDialect,
  ) => Promise<RouteAuth | undefined>
  /** Paths the gateway answers itself (health, admin API, portal), routed like the API's. */
  readonly gatewayRoutes?: readonly GatewayRoute[]
  /** The Salesforce orgs routes may write to (`x-forcegate-salesforce-integration`). */
  readonly salesforce?: SalesforceConnections
}

/**
 * Turns a validated API definition and gateway file into the frozen route table. The
 * document's problems and every route's (authorizers, function modules, duplicates) are
 * reported together: a table is only returned when there are none.
 */
export async function compileRoutes(
  api: ApiDefinition,
  gateway: GatewayFile,
  deps: CompileDeps,
): Promise<RouteTable> {
  const { dialect } = api
  const stage = gateway.api.stage ?? dialect.defaultStage
  const deployment: Deployment = {
    apiId: gateway.api.apiId,
    accountId: gateway.api.accountId,
    region: gateway.api.region,
    resourceId: 'fgres0',
  }
  const router = new Router<CompiledRoute>()
  const routes: CompiledRoute[] = []
  const integrations: Integration[] = []
  const pools = new UpstreamPools()
  const problems = new ProblemList(api.problems)
  const owned = deps.gatewayRoutes ?? []
  const cors = api.cors === undefined ? undefined : new CorsPolicy(api.cors)
  for (const route of owned) router.add(route.method, route.resourcePath, route)
  for (const spec of api.routes) {
    const reserved = owned.find((o) => o.owns(spec.resourcePath))
    if (reserved !== undefined) {
      problems.add(
        new ConfigError(
          api.file,
          spec.pointer,
          `${spec.resourcePath} is served by the gateway (${reserved.owner})`,
        ),
      )
      continue
    }
    const auth = withApiKey(await problems.collect(() => deps.compileAuth(spec, api, dialect)), spec, api)
    if (spec.integration === undefined) {
      problems.ensure(new ConfigError(api.file, spec.pointer, 'expected a usable integration'))
      continue
    }
    const integration = await problems.collect(async () => {
      const built = await compileIntegration(
        spec.integration!,
        api,
        deps,
        auth?.trustedHeaderNames ?? NONE,
        gateway.server.maxBodyBytes,
        pools,
        dialect,
        auth?.salesforceOrg,
      )
      const checked =
        spec.validation === undefined ? built : withRequestValidation(api.file, built, spec.validation)
      return cors === undefined ? checked : withCors(checked, cors)
    })
    if (integration === undefined) continue
    integrations.push(integration)
    if (problems.count > 0) continue
    const routeKey = spec.method === '$default' ? '$default' : `${spec.method} ${spec.resourcePath}`
    const route: CompiledRoute = Object.freeze({
      method: spec.method,
      resourcePath: spec.resourcePath,
      routeKey,
      auth,
      integration,
    })
    try {
      if (spec.method === '$default') router.setFallback(route)
      else router.add(spec.method, spec.resourcePath, route)
    } catch (err) {
      if (!(err instanceof DuplicateRouteError)) throw err
      problems.add(new ConfigError(api.file, spec.pointer, err.message))
      continue
    }
    routes.push(route)
  }
  if (cors !== undefined && problems.count === 0) {
    // HTTP API CORS: the gateway answers the preflights no route of the API takes.
    const preflight = createPreflightIntegration(cors)
    for (const resourcePath of preflightPaths(api.routes))
      router.add('OPTIONS', resourcePath, {
        method: 'OPTIONS',
        resourcePath,
        routeKey: `OPTIONS ${resourcePath}`,
        auth: undefined,
        integration: preflight,
      })
  }
  if (problems.count > 0) {
    await Promise.all(integrations.map((i) => i.close?.()))
    await pools.close()
    problems.throw()
  }
  const stageVariables =
    Object.keys(gateway.api.stageVariables).length === 0 ? null : gateway.api.stageVariables
  return Object.freeze({
    dialect,
    title: api.title,
    stage,
    stagePrefix: api.servedUnderStage === true && stage !== '$default' ? `/${stage}` : undefined,
    stageVariables,
    deployment,
    router,
    routes: Object.freeze(routes),
    gatewayResponses: api.gatewayResponses,
    limits: {
      maxBodyBytes: gateway.server.maxBodyBytes,
      maxUrlBytes: gateway.server.maxUrlBytes,
      trustedProxyHops: gateway.server.trustedProxyHops,
    },
    async close() {
      await Promise.all(integrations.map((i) => i.close?.()))
      await pools.close()
    },
  })
}

/** Configuration problems in the order found, each reported once (a scheme shared by routes fails once). */
class ProblemList {
  readonly #errors: ConfigError[] = []
  readonly #seen = new Set<string>()

  constructor(initial: readonly ConfigError[]) {
    for (const err of initial) this.add(err)
  }

  get count(): number {
    return this.#errors.length
  }

  add(err: ConfigError): void {
    if (this.#seen.has(err.message)) return
    this.#seen.add(err.message)
    this.#errors.push(err)
  }

  /** Adds `err` only when nothing was reported yet: a fallback that must never hide the cause. */
  ensure(err: ConfigError): void {
    if (this.#errors.length === 0) this.add(err)
  }

  /** Runs `step`; a configuration error it throws is recorded and `undefined` returned. */
  async collect<T>(step: () => Promise<T>): Promise<T | undefined> {
    try {
      return await step()
    } catch (err) {
      if (err instanceof ConfigError) this.add(err)
      else if (err instanceof ConfigErrors) for (const e of err.errors) this.add(e)
      else throw err
      return undefined
    }
  }

  throw(): never {
    if (this.#errors.length === 1) throw this.#errors[0]
    throw new ConfigErrors(this.#errors)
  }
}

const NONE: ReadonlySet<string> = new Set()

async function compileIntegration(
  spec: IntegrationSpec,
  api: ApiDefinition,
  deps: CompileDeps,
  trustedHeaderNames: ReadonlySet<string>,
  maxBodyBytes: number,
  pools: UpstreamPools,
  dialect: ApiDialect,
  salesforceOrg?: string,
): Promise<Integration> {
  switch (spec.type) {
    case 'salesforce':
      return createSalesforceIntegration(api.file, spec, deps.salesforce, salesforceOrg)
    case 'aws_proxy': {
      await deps.loadFunction(spec.functionName, spec.functionArn, `${api.file}#${spec.pointer}`)
      return createLambdaProxyIntegration({
        fn: { name: spec.functionName, arn: spec.functionArn },
        payloadFormatVersion: spec.payloadFormatVersion,
        timeoutMs: spec.timeoutMs,
        bodyEncoding: dialect.bodyEncoding(api.binaryMediaTypes),
        invoker: deps.invoker,
      })
    }
    case 'http_proxy':
      return createHttpProxyIntegration({
        uri: spec.uri,
        httpMethod: spec.httpMethod,
        timeoutMs: spec.timeoutMs,
        trustedHeaderNames,
        maxBodyBytes,
        pools,
      })
    case 'mock':
      return createMockIntegration({ file: api.file, mapping: spec, binaryMediaTypes: api.binaryMediaTypes })
    case 'aws':
      await deps.loadFunction(spec.functionName, spec.functionArn, `${api.file}#${spec.pointer}`)
      return createLambdaIntegration({
        file: api.file,
        mapping: spec,
        binaryMediaTypes: api.binaryMediaTypes,
        fn: { name: spec.functionName, arn: spec.functionArn },
        timeoutMs: spec.timeoutMs,
        invoker: deps.invoker,
      })
    case 'http':
      return createHttpIntegration({
        file: api.file,
        mapping: spec,
        binaryMediaTypes: api.binaryMediaTypes,
        uri: spec.uri,
        httpMethod: spec.httpMethod,
        timeoutMs: spec.timeoutMs,
        pools,
      })
  }
}
