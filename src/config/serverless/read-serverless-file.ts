import { dirname, resolve } from 'node:path'
import { HTTP_API, REST_API } from '../../dialect/api-dialect.ts'
import { ConfigError } from '../../errors/config-error.ts'
import { describe, FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import type { RouteSpec, SecuritySchemeSpec } from '../openapi/api-definition.ts'
import { childPointer, type SourceDocument } from '../source-document.ts'
import { environmentKey, readEnvironment, setEnvironment } from './function-environment.ts'
import { servedRuntime, servesHttp } from './function-runtime.ts'
import { type ApiSource, type FunctionSource, localFunctionArn, splitHandler } from './function-source.ts'
import { checkUnsupported, noPrependStage } from './not-served.ts'
import { requestValidation } from './request-validation.ts'
import { resolveVariables, type VariableSources } from './resolve-variables.ts'
import { isServedKey } from './served-keys.ts'
import { readApiKeys } from './serverless-api-keys.ts'
import { readHttpApiAuthorizers, restAuthorizerScheme } from './serverless-authorizers.ts'
import { httpApiCors } from './serverless-cors.ts'
import { lambdaIntegration } from './serverless-lambda-integration.ts'
import { RestCorsCollector } from './serverless-rest-cors.ts'

/** Event types that are not HTTP: known to the framework, but nothing calls them here. */
const HTTP_EVENTS = new Set(['http', 'httpApi'])
/** API Gateway's integration timeouts: 29 s for REST APIs, 30 s for HTTP APIs. */
const REST_TIMEOUT_S = 29
const HTTP_TIMEOUT_S = 30
const LAYERS = 'layers are not mounted locally: what a handler imports from /opt is not there'
/** The framework deploys functions with 6 s unless told otherwise. */
const DEFAULT_FUNCTION_TIMEOUT_S = 6

/**
 * Reads a Serverless Framework service (`serverless.yml`) into the OpenAPI reader's output:
 * its functions' `http` events make a REST API, `httpApi` events an HTTP API. Everything the
 * gateway cannot honour is named with its pointer: unresolvable variables, unsupported
 * authorization and both API kinds in one service are problems (all reported together, the
 * gateway does not start); plugins, custom resources and events that are not HTTP are notices
 * printed at start-up, since they do not change what the API answers.
 */
export function readServerlessFile(
  doc: SourceDocument,
  sources: VariableSources,
  newApiKey: () => string,
): ApiSource {
  if (!isObject(doc.data))
    throw new ConfigError(doc.file, '', 'expected a serverless.yml service (an object at the top level)')
  const r = new FieldReader(doc)
  const notes = new FieldReader(doc)
  const variableProblems: { pointer: string; expected: string; origin: string }[] = []
  const root = resolveVariables(doc.data, sources, variableProblems) as JsonObject
  const reported = new Set<string>()
  for (const p of variableProblems) {
    if (!isServedKey(p.origin) || reported.has(`${p.pointer} ${p.expected}`)) continue
    reported.add(`${p.pointer} ${p.expected}`)
    const name = environmentKey(p.origin)
    if (name === undefined) r.fail(p.pointer, p.expected)
    else if (!setEnvironment(root, p.origin, sources.env[name]))
      r.fail(
        p.pointer,
        p.pointer === p.origin
          ? `${p.expected}; or set ${name} in the environment forcegate runs in`
          : p.expected,
      )
  }
  const folder = dirname(resolve(doc.file))
  const service = serviceName(r, root)
  checkUnsupported(notes, root)
  const provider = r.object(root, 'provider', '', true) ?? {}
  const providerName = r.string(provider, 'name', '/provider', false)
  if (providerName !== undefined && providerName !== 'aws')
    r.fail('/provider/name', `expected aws, found '${providerName}': only AWS Lambda services are served`)
  const runtime = r.string(provider, 'runtime', '/provider', false)
  const stage = sources.stage ?? r.string(provider, 'stage', '/provider', false) ?? 'dev'
  const region = r.string(provider, 'region', '/provider', false) ?? sources.region ?? 'us-east-1'
  const providerEnv = readEnvironment(r, notes, provider, '/provider')
  const providerTimeout = r.integer(provider, 'timeout', '/provider', 1, 900)
  if (provider.layers !== undefined) notes.fail('/provider/layers', LAYERS)
  const apiGateway = r.object(provider, 'apiGateway', '/provider', false) ?? {}
  const binaryMediaTypes = r.stringArray(apiGateway, 'binaryMediaTypes', '/provider/apiGateway') ?? []
  for (const key of Object.keys(apiGateway))
    if (key !== 'binaryMediaTypes' && key !== 'shouldStartNameWithService' && key !== 'apiKeys')
      notes.fail(childPointer('/provider/apiGateway', key), `apiGateway.${key} is not applied locally`)
  // `functions: [${file(a.yml)}, ${file(b.yml)}]`: the framework merges a list of maps.
  const functions = Array.isArray(root.functions)
    ? (Object.assign({}, ...root.functions.filter(isObject)) as JsonObject)
    : (r.object(root, 'functions', '', false) ?? {})
  const kinds = new Set<string>()
  const names = new Map<string, { name: string; arn: string }>()
  for (const [key, fn] of Object.entries(functions)) {
    const name = isObject(fn) && typeof fn.name === 'string' ? fn.name : `${service}-${stage}-${key}`
    names.set(key, { name, arn: localFunctionArn(region, name) })
  }
  const httpApi = r.object(provider, 'httpApi', '/provider', false) ?? {}
  const schemes = new Map<string, SecuritySchemeSpec>()
  const httpAuthorizers = readHttpApiAuthorizers(r, httpApi, region, names)
  const routes: RouteSpec[] = []
  const routeKinds = new Map<RouteSpec, string>()
  const restCors = new RestCorsCollector()
  const out: FunctionSource[] = []
  for (const [key, fn] of Object.entries(functions)) {
    const fp = childPointer('/functions', key)
    if (!isObject(fn)) {
      r.fail(fp, `expected a function object, found ${describe(fn)}`)
      continue
    }
    const ref = names.get(key)!
    const fnRuntime = r.string(fn, 'runtime', fp, false)
    const served = servedRuntime(r, notes, fn, fp, fnRuntime ?? runtime, fnRuntime === undefined)
    if (!served) continue
    if (fn.image !== undefined) {
      const why = 'container image functions are not run; give a handler instead'
      if (servesHttp(fn)) r.fail(childPointer(fp, 'image'), why)
      else
        notes.fail(
          childPointer(fp, 'image'),
          `${why}; it serves no HTTP event, so the API is served without it`,
        )
      continue
    }
    const handler = r.string(fn, 'handler', fp, true)
    const parts = handler === undefined ? undefined : splitHandler(handler)
    if (handler !== undefined && parts === undefined)
      r.fail(childPointer(fp, 'handler'), `expected file.export (src/users.handler), found '${handler}'`)
    if (fn.layers !== undefined) notes.fail(childPointer(fp, 'layers'), LAYERS)
    if (fn.httpApi !== undefined)
      notes.fail(
        childPointer(fp, 'httpApi'),
        "a function's own httpApi settings are serverless-offline's, not the framework's: it deploys provider.httpApi.payload for every route",
      )
    if (fn.url !== undefined)
      notes.fail(childPointer(fp, 'url'), 'function URLs are not served: add an http or httpApi event')
    const environment = new Map([...providerEnv, ...readEnvironment(r, notes, fn, fp)])
    const timeoutS = r.integer(fn, 'timeout', fp, 1, 900) ?? providerTimeout ?? DEFAULT_FUNCTION_TIMEOUT_S
    if (parts !== undefined)
      out.push({
        ...ref,
        modulePath: resolve(folder, parts.module),
        exportName: parts.exportName,
        environment,
        pointer: childPointer(fp, 'handler'),
      })
    const events = fn.events
    if (events === undefined) continue
    const ep = childPointer(fp, 'events')
    if (!Array.isArray(events)) {
      r.fail(ep, `expected a list of events, found ${describe(events)}`)
      continue
    }
    events.forEach((event, i) => {
      const p = childPointer(ep, i)
      if (typeof event === 'string') {
        notes.fail(
          p,
          `'${event}' events are not triggered: only http (REST API) and httpApi (HTTP API) events are served`,
        )
        return
      }
      const type = isObject(event) ? Object.keys(event)[0] : undefined
      if (!isObject(event) || type === undefined || Object.keys(event).length !== 1) {
        r.fail(p, 'expected one event: { http: … } or { httpApi: … }')
        return
      }
      if (!HTTP_EVENTS.has(type)) {
        notes.fail(
          childPointer(p, type),
          `'${type}' events are not triggered: only http (REST API) and httpApi (HTTP API) events are served`,
        )
        return
      }
      kinds.add(type)
      const spec = { event: event[type], pointer: childPointer(p, type), ref }
      const timeoutMs = Math.min(timeoutS, type === 'http' ? REST_TIMEOUT_S : HTTP_TIMEOUT_S) * 1000
      const route =
        type === 'http'
          ? restRoute(r, notes, spec, timeoutMs, region, names, schemes, restCors)
          : httpApiRoute(r, spec, timeoutMs, httpApi, httpAuthorizers, schemes)
      if (route !== undefined) {
        routes.push(route)
        routeKinds.set(route, type)
      }
    })
  }
  // Both kinds deploy two APIs; FORCEGATE_SERVERLESS_API (http or httpApi) names the one served.
  const chosen = sources.env.FORCEGATE_SERVERLESS_API
  if (kinds.size > 1 && chosen !== 'http' && chosen !== 'httpApi')
    r.fail(
      '/functions',
      'expected either http (REST API) or httpApi (HTTP API) events: a service with both deploys two APIs; serve one per run with FORCEGATE_SERVERLESS_API=http or =httpApi',
    )
  else if (kinds.size > 1) {
    const dropped = chosen === 'http' ? 'httpApi' : 'http'
    for (let i = routes.length - 1; i >= 0; i--)
      if (routeKinds.get(routes[i]!) === dropped) routes.splice(i, 1)
    const named = new Set(routes.flatMap((route) => route.security.flat().map((s) => s.scheme)))
    for (const name of [...schemes.keys()]) if (!named.has(name)) schemes.delete(name)
    kinds.delete(dropped)
    notes.fail(
      '/functions',
      `serving the ${chosen} events (FORCEGATE_SERVERLESS_API); the ${dropped} events' API is not served`,
    )
  }
  const dialect = kinds.has('httpApi') ? HTTP_API : REST_API
  const apiKeys = readApiKeys(
    r,
    notes,
    provider,
    routes.some((route) => route.apiKeyRequired),
    newApiKey,
  )
  if (!kinds.has('httpApi')) routes.push(...restCors.routes(r, routes))
  return {
    doc,
    functions: out,
    notices: notes.errors,
    // The service's stage names a REST API's stage; an HTTP API is deployed to $default.
    stage: kinds.has('httpApi') ? undefined : stage,
    api: {
      file: doc.file,
      title: service,
      dialect,
      routes,
      gatewayResponses: new Map(),
      binaryMediaTypes,
      cors: kinds.has('httpApi') ? httpApiCors(r, httpApi, routes) : undefined,
      securitySchemes: schemes,
      apiKeys,
      servedUnderStage: !kinds.has('httpApi') && !noPrependStage(root),
      problems: r.errors,
    },
  }
}

function serviceName(r: FieldReader, root: JsonObject): string {
  const service = root.service
  if (isObject(service)) return r.string(service, 'name', '/service', true) ?? 'service'
  return r.string(root, 'service', '', true) ?? 'service'
}

interface EventSpec {
  readonly event: unknown
  readonly pointer: string
  readonly ref: { name: string; arn: string }
}

/** `GET users/{id}` or `{ method, path }`; the path is the resource path with or without its leading /. */
function methodAndPath(
  r: FieldReader,
  spec: EventSpec,
): { method: string; path: string; options: JsonObject } | undefined {
  const { event, pointer } = spec
  if (typeof event === 'string') {
    if (event.trim() === '*') return { method: '$default', path: '/', options: {} }
    const m = /^(\S+)\s+(\S+)$/.exec(event.trim())
    if (m === null) return r.fail(pointer, `expected 'METHOD path', found '${event}'`)
    return { method: m[1]!, path: m[2]!, options: {} }
  }
  if (!isObject(event))
    return r.fail(pointer, `expected 'METHOD path' or an object, found ${describe(event)}`)
  const method = r.string(event, 'method', pointer, true)
  const path = r.string(event, 'path', pointer, method !== '*')
  if (method === undefined) return undefined
  if (method === '*' && (path === undefined || path === '*'))
    return { method: '$default', path: '/', options: event }
  if (path === undefined) return undefined
  return { method, path, options: event }
}

function normalMethod(method: string): string {
  return method === '*' || method.toLowerCase() === 'any' ? 'ANY' : method.toUpperCase()
}

function restRoute(
  r: FieldReader,
  notes: FieldReader,
  spec: EventSpec,
  timeoutMs: number,
  region: string,
  names: ReadonlyMap<string, { name: string; arn: string }>,
  schemes: Map<string, SecuritySchemeSpec>,
  cors: RestCorsCollector,
): RouteSpec | undefined {
  const parsed = methodAndPath(r, spec)
  if (parsed === undefined) return undefined
  const { options } = parsed
  const p = spec.pointer
  const integration = r.string(options, 'integration', p, false)
  const mapped = integration !== undefined && /^(lambda|aws)$/i.test(integration)
  if (integration !== undefined && !mapped && !/^(lambda-proxy|aws_proxy|aws-proxy)$/i.test(integration))
    r.fail(
      childPointer(p, 'integration'),
      `integration: ${integration} is not served; use lambda-proxy (the default) or lambda`,
    )
  if (options.async === true) r.fail(childPointer(p, 'async'), 'async invocation is not supported')
  const security: RouteSpec['security'][number][] = []
  if (options.authorizer !== undefined) {
    const scheme = restAuthorizerScheme(
      r,
      notes,
      options.authorizer,
      childPointer(p, 'authorizer'),
      region,
      names,
    )
    const same = scheme === undefined ? undefined : schemes.get(scheme.name)
    if (scheme !== undefined && same !== undefined && JSON.stringify(same.raw) !== JSON.stringify(scheme.raw))
      r.fail(
        scheme.pointer,
        `authorizer '${scheme.name}' is configured differently at ${same.pointer}: API Gateway deploys one authorizer per name`,
      )
    else if (scheme !== undefined) {
      schemes.set(scheme.name, scheme)
      security.push([{ scheme: scheme.name, scopes: [] }])
    }
  }
  const slashed = parsed.path.startsWith('/') ? parsed.path : `/${parsed.path}`
  const path = slashed.length > 1 ? slashed.replace(/\/$/, '') : slashed
  cors.add(r, options, p, path, normalMethod(parsed.method))
  return {
    method: normalMethod(parsed.method),
    resourcePath: path,
    pointer: p,
    integration: mapped
      ? lambdaIntegration(r, options, p, region, spec.ref.arn, timeoutMs)
      : {
          type: 'aws_proxy',
          functionName: spec.ref.name,
          functionArn: spec.ref.arn,
          payloadFormatVersion: '1.0',
          timeoutMs,
          pointer: p,
        },
    security,
    securityPointer: childPointer(p, 'authorizer'),
    validation: requestValidation(r, options, p),
    apiKeyRequired: options.private === true,
  }
}

function httpApiRoute(
  r: FieldReader,
  spec: EventSpec,
  timeoutMs: number,
  httpApi: JsonObject,
  authorizers: ReadonlyMap<string, SecuritySchemeSpec>,
  schemes: Map<string, SecuritySchemeSpec>,
): RouteSpec | undefined {
  const parsed = methodAndPath(r, spec)
  if (parsed === undefined) return undefined
  const p = spec.pointer
  if (parsed.method !== '$default' && !parsed.path.startsWith('/'))
    r.fail(p, `expected a path starting with /, found '${parsed.path}'`)
  const payload = httpApi.payload === '1.0' ? '1.0' : '2.0'
  const security: RouteSpec['security'][number][] = []
  const auth = parsed.options.authorizer
  if (auth !== undefined) {
    const ap = childPointer(p, 'authorizer')
    const name = typeof auth === 'string' ? auth : isObject(auth) ? auth.name : undefined
    const scopes = isObject(auth) ? (r.stringArray(auth, 'scopes', ap) ?? []) : []
    if (isObject(auth) && auth.type === 'aws_iam')
      r.fail(ap, 'IAM authorization (type: aws_iam) is not supported yet')
    else if (typeof name !== 'string' || !authorizers.has(name))
      r.fail(
        ap,
        `expected the name of an authorizer in provider.httpApi.authorizers, found ${describe(name)}`,
      )
    else {
      schemes.set(name, authorizers.get(name)!)
      security.push([{ scheme: name, scopes }])
    }
  }
  return {
    method: parsed.method === '$default' ? '$default' : normalMethod(parsed.method),
    resourcePath: parsed.path,
    pointer: p,
    integration: {
      type: 'aws_proxy',
      functionName: spec.ref.name,
      functionArn: spec.ref.arn,
      payloadFormatVersion: payload,
      timeoutMs,
      pointer: p,
    },
    security,
    securityPointer: childPointer(p, 'authorizer'),
  }
}
