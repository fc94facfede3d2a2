import { dirname, resolve } from 'node:path'
import { HTTP_API, REST_API } from '../../dialect/api-dialect.ts'
import { ConfigError } from '../../errors/config-error.ts'
import { FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import type { ApiDefinition, RouteSpec } from '../openapi/api-definition.ts'
import { type ApiSource, type FunctionSource, localFunctionArn } from '../serverless/function-source.ts'
import { childPointer, type SourceDocument } from '../source-document.ts'
import { Intrinsics } from './resolve-intrinsics.ts'
import { API_KEY, samApiKeys } from './sam-api-keys.ts'
import { readSamAuthorizers, readSamCors } from './sam-auth.ts'
import { definition } from './sam-definition.ts'
import { functionCode } from './sam-function-code.ts'
import { samRequestValidation } from './sam-request-validation.ts'
import { samRestCorsRoutes } from './sam-rest-cors.ts'

const FUNCTION = 'AWS::Serverless::Function'
const REST = 'AWS::Serverless::Api'
const HTTP = 'AWS::Serverless::HttpApi'
const IMPLICIT: Readonly<Record<string, string>> = { Api: 'ServerlessRestApi', HttpApi: 'ServerlessHttpApi' }
const READ_PROPERTIES = ['Handler', 'CodeUri', 'Runtime', 'Timeout', 'PackageType', 'InlineCode'] as const
/** Lambda's default timeout, which SAM keeps. */
const DEFAULT_TIMEOUT_S = 3

export interface SamOptions {
  readonly region: string | undefined
  readonly stage: string | undefined
  readonly parameters: Readonly<Record<string, string>>
  /** Reads a `DefinitionUri` file; injected so that reading stays free of I/O. */
  readonly loadDocument: (file: string) => Promise<SourceDocument>
  /** A value for an API key the template leaves AWS to generate. */
  readonly newApiKey: () => string
  /** forcegate's own environment: the values of function variables that cannot be resolved here. */
  readonly environment: Readonly<Record<string, string | undefined>>
}

interface EventRoute {
  readonly type: 'Api' | 'HttpApi'
  readonly api: string
  readonly route: RouteSpec
  readonly authorizer: string | undefined
  readonly scopes: readonly string[]
  /** The event's own `Auth.ApiKeyRequired`, over the API's. */
  readonly apiKey: boolean | undefined
  /** The event's properties, for what depends on its API (`RequestModel` reads its `Models`). */
  readonly properties: JsonObject
}

/**
 * Reads a SAM template into the OpenAPI reader's output: the `Api` and `HttpApi` events of its
 * `AWS::Serverless::Function`s, on the implicit API or an `AWS::Serverless::Api`/`HttpApi`
 * with `Auth` (authorizers, `DefaultAuthorizer`), `CorsConfiguration`, and an inline
 * (`DefinitionBody`) or separate (`DefinitionUri`) OpenAPI document. One API is served per run.
 */
export async function readSamTemplate(doc: SourceDocument, options: SamOptions): Promise<ApiSource> {
  if (!isObject(doc.data))
    throw new ConfigError(doc.file, '', 'expected a SAM template (an object at the top level)')
  const template = doc.data
  const r = new FieldReader(doc)
  const notes = new FieldReader(doc)
  const folder = dirname(resolve(doc.file))
  const globals = r.object(template, 'Globals', '', false) ?? {}
  const resources = r.object(template, 'Resources', '', true) ?? {}
  const region = options.region ?? 'us-east-1'
  const bare = new Intrinsics(template, {
    region,
    stackName: 'local',
    parameters: options.parameters,
    functions: new Map(),
  })
  const names = new Map<string, { name: string; arn: string }>()
  for (const [id, res] of Object.entries(resources)) {
    if (!isObject(res) || res.Type !== FUNCTION) continue
    const props = isObject(res.Properties) ? res.Properties : {}
    const named = bare.resolve(
      props.FunctionName,
      childPointer(childPointer('/Resources', id), 'Properties'),
      (p, e) => r.fail(p, e),
    )
    const name = typeof named === 'string' ? named : id
    names.set(id, { name, arn: localFunctionArn(region, name) })
  }
  const cfn = new Intrinsics(template, {
    region,
    stackName: 'local',
    parameters: options.parameters,
    functions: names,
  })
  const fail = (p: string, e: string) => r.fail(p, e)
  const note = (p: string, e: string) => notes.fail(p, e)
  const fnGlobals = isObject(globals.Function) ? globals.Function : {}
  const functions: FunctionSource[] = []
  const events: EventRoute[] = []
  const apis = new Map<string, { type: string; props: JsonObject; pointer: string }>()
  for (const [id, res] of Object.entries(resources)) {
    const p = childPointer('/Resources', id)
    if (!isObject(res)) continue
    if (res.Type === REST || res.Type === HTTP) {
      const kind = res.Type === REST ? 'Api' : 'HttpApi'
      const merged = withGlobals(
        isObject(globals[kind]) ? globals[kind] : {},
        isObject(res.Properties) ? res.Properties : {},
      )
      apis.set(id, { type: res.Type, props: merged, pointer: childPointer(p, 'Properties') })
      continue
    }
    if (res.Type !== FUNCTION) {
      if (res.Type !== API_KEY) note(p, `${String(res.Type)} resources are not created locally`)
      continue
    }
    const pp = childPointer(p, 'Properties')
    const own = isObject(res.Properties) ? res.Properties : {}
    // Only what serving reads is resolved: a policy's table ARN must not stop the gateway.
    const merged: JsonObject = { ...fnGlobals, ...own }
    const read = Object.fromEntries(READ_PROPERTIES.filter((k) => k in merged).map((k) => [k, merged[k]!]))
    const props = cfn.resolve(read, pp, fail) as JsonObject
    const ref = names.get(id)!
    const fnEvents = isObject(own.Events) ? own.Events : {}
    const servesHttp = Object.values(fnEvents).some(
      (e) => isObject(e) && (e.Type === 'Api' || e.Type === 'HttpApi'),
    )
    const code = functionCode(r, notes, res, props, pp, folder, servesHttp)
    if (merged.FunctionUrlConfig !== undefined)
      note(childPointer(pp, 'FunctionUrlConfig'), 'function URLs are not served: add an Api or HttpApi event')
    if (merged.Layers !== undefined)
      note(
        childPointer(pp, 'Layers'),
        'layers are not mounted locally: what a handler imports from /opt is not there',
      )
    if (code === undefined && !servesHttp) continue
    const declared: JsonObject = {
      ...((fnGlobals.Environment as JsonObject | undefined)?.Variables as JsonObject),
      ...((own.Environment as JsonObject | undefined)?.Variables as JsonObject),
    }
    const vp = childPointer(childPointer(pp, 'Environment'), 'Variables')
    // A variable naming a deployed resource (`!GetAtt Table.StreamArn`) takes the same variable
    // of forcegate's own environment when set there; else it is named and left unset.
    const env: JsonObject = {}
    for (const [key, value] of Object.entries(declared)) {
      const given = options.environment[key]
      const resolved = cfn.resolve(value, childPointer(vp, key), given === undefined ? note : () => undefined)
      if (resolved !== undefined) env[key] = resolved as JsonObject[string]
      else if (given !== undefined) env[key] = given
    }
    if (code !== undefined)
      functions.push({
        ...ref,
        ...code,
        environment: new Map(Object.entries(env).map(([k, v]) => [k, String(v)])),
        pointer: childPointer(pp, 'Handler'),
      })
    const timeoutS = typeof props.Timeout === 'number' ? props.Timeout : DEFAULT_TIMEOUT_S
    for (const [name, ev] of Object.entries(fnEvents)) {
      const ep = childPointer(childPointer(pp, 'Events'), name)
      const type = isObject(ev) ? ev.Type : undefined
      if (type !== 'Api' && type !== 'HttpApi') {
        note(ep, `${String(type)} events are not triggered: only Api and HttpApi events are served`)
        continue
      }
      const route = eventRoute(r, cfn.resolve(ev, ep, fail) as JsonObject, type, ep, ref, timeoutS)
      if (route !== undefined) events.push(route)
    }
  }
  const used = new Set(events.map((e) => e.api))
  for (const [id, api] of apis)
    if (api.props.DefinitionBody !== undefined || api.props.DefinitionUri !== undefined) used.add(id)
  if (used.size === 0)
    r.fail('/Resources', 'expected a function with Api or HttpApi events, or an API with a definition')
  // One API per run: FORCEGATE_SAM_API names which, when the template has several.
  const chosen = options.environment.FORCEGATE_SAM_API
  if (used.size > 1 && (chosen === undefined || !used.has(chosen)))
    r.fail(
      '/Resources',
      `expected one API, found ${[...used].join(', ')}: the gateway serves one API per run; name it with FORCEGATE_SAM_API=${[...used][0]}${chosen === undefined ? '' : ` (FORCEGATE_SAM_API=${chosen} is not one of them)`}`,
    )
  else if (used.size > 1)
    note(
      '/Resources',
      `serving ${chosen} (FORCEGATE_SAM_API); ${[...used].filter((id) => id !== chosen).join(', ')} not served`,
    )
  const apiId =
    used.size > 1 && chosen !== undefined && used.has(chosen) ? chosen : ([...used][0] ?? IMPLICIT.Api!)
  const explicit = apis.get(apiId)
  const isHttp = explicit === undefined ? apiId === IMPLICIT.HttpApi : explicit.type === HTTP
  const ap = explicit?.pointer ?? '/Resources'
  const props =
    explicit === undefined
      ? ((globals[isHttp ? 'HttpApi' : 'Api'] as JsonObject | undefined) ?? {})
      : explicit.props
  const body = await definition(r, cfn, props, ap, folder, doc, isHttp, options)
  const auth = isObject(props.Auth)
    ? (cfn.resolve(
        servedAuth(r, props.Auth, childPointer(ap, 'Auth')),
        childPointer(ap, 'Auth'),
        fail,
      ) as JsonObject)
    : {}
  const schemes = new Map([
    ...(body?.securitySchemes ?? []),
    ...readSamAuthorizers(r, auth, childPointer(ap, 'Auth'), isHttp, region),
  ])
  const defaultAuthorizer = typeof auth.DefaultAuthorizer === 'string' ? auth.DefaultAuthorizer : undefined
  const routes: RouteSpec[] = [...(body?.routes ?? [])]
  for (const e of events) {
    if (e.api !== apiId) continue
    if (routes.some((x) => x.method === e.route.method && x.resourcePath === e.route.resourcePath)) continue
    const name = e.authorizer ?? defaultAuthorizer
    if (name !== undefined && name !== 'NONE' && !schemes.has(name))
      r.fail(
        e.route.securityPointer,
        name === 'AWS_IAM'
          ? 'IAM authorization (AWS_IAM) is not supported yet'
          : `expected the name of an authorizer in the API's Auth.Authorizers, found '${name}'`,
      )
    // An authorizer's AuthorizationScopes are the default of the routes that give none.
    const declared = name === undefined || !isObject(auth.Authorizers) ? undefined : auth.Authorizers[name]
    const scopes =
      e.scopes.length === 0 && isObject(declared) && Array.isArray(declared.AuthorizationScopes)
        ? declared.AuthorizationScopes.filter((x): x is string => typeof x === 'string')
        : e.scopes
    const security =
      name === undefined || name === 'NONE' || !schemes.has(name) ? [] : [[{ scheme: name, scopes }]]
    const apiKeyRequired = !isHttp && (e.apiKey ?? auth.ApiKeyRequired === true)
    const models = isObject(props.Models) ? props.Models : {}
    const validation = isHttp
      ? undefined
      : samRequestValidation(
          r,
          e.properties,
          childPointer(e.route.pointer, 'Properties'),
          models,
          childPointer(ap, 'Models'),
        )
    routes.push({ ...e.route, security, apiKeyRequired, ...(validation === undefined ? {} : { validation }) })
  }
  if (!isHttp && props.Cors !== undefined) {
    const cp = childPointer(ap, 'Cors')
    const preflightAuth =
      auth.AddDefaultAuthorizerToCorsPreflight !== false &&
      defaultAuthorizer !== undefined &&
      schemes.has(defaultAuthorizer)
    const security = preflightAuth ? [[{ scheme: defaultAuthorizer, scopes: [] }]] : []
    const preflights = samRestCorsRoutes(r, cfn.resolve(props.Cors, cp, fail), cp, routes, security)
    // SAM's AddApiKeyRequiredToCorsPreflight (default true) puts the API's key on them too.
    const keyed = auth.ApiKeyRequired === true && auth.AddApiKeyRequiredToCorsPreflight !== false
    routes.push(...preflights.map((route) => ({ ...route, apiKeyRequired: keyed })))
  }
  const stage = cfn.resolve(props.StageName, childPointer(ap, 'StageName'), fail)
  const stageName = typeof stage === 'string' ? stage : undefined
  const api: ApiDefinition = {
    file: doc.file,
    title: body?.title ?? apiId,
    dialect: isHttp ? HTTP_API : REST_API,
    routes,
    gatewayResponses: body?.gatewayResponses ?? new Map(),
    binaryMediaTypes: body?.binaryMediaTypes ?? [],
    cors: isHttp
      ? (readSamCors(
          r,
          cfn.resolve(props.CorsConfiguration, ap, fail),
          childPointer(ap, 'CorsConfiguration'),
        ) ?? body?.cors)
      : undefined,
    securitySchemes: schemes,
    apiKeys: samApiKeys(
      notes,
      resources,
      cfn,
      fail,
      isObject(props.Auth) ? props.Auth : {},
      childPointer(ap, 'Auth'),
      routes.some((route) => route.apiKeyRequired),
      options.newApiKey,
    ),
    problems: [...r.errors, ...(body?.problems ?? [])],
  }
  return {
    api,
    doc: body?.doc ?? doc,
    functions,
    notices: notes.errors,
    stage: options.stage ?? stageName ?? (isHttp ? undefined : 'Prod'),
  }
}

/**
 * The parts of an API's `Auth` that serving reads, so that an authorizer's `FunctionInvokeRole`
 * (`!GetAtt Role.Arn`) or a usage plan never stops the gateway. A `ResourcePolicy` is refused:
 * ignoring it would let through callers AWS denies.
 */
function servedAuth(r: FieldReader, auth: JsonObject, pointer: string): JsonObject {
  if (auth.ResourcePolicy !== undefined)
    r.fail(childPointer(pointer, 'ResourcePolicy'), 'resource policies are not enforced yet')
  const out: JsonObject = {}
  for (const key of [
    'DefaultAuthorizer',
    'ApiKeyRequired',
    'AddDefaultAuthorizerToCorsPreflight',
    'AddApiKeyRequiredToCorsPreflight',
  ])
    if (auth[key] !== undefined) out[key] = auth[key]!
  if (isObject(auth.Authorizers))
    out.Authorizers = Object.fromEntries(
      Object.entries(auth.Authorizers).map(([name, a]) => {
        if (!isObject(a)) return [name, a]
        const { FunctionInvokeRole: _role, ...rest } = a
        return [name, rest]
      }),
    )
  else if (auth.Authorizers !== undefined) out.Authorizers = auth.Authorizers
  return out
}

function eventRoute(
  r: FieldReader,
  ev: JsonObject,
  type: 'Api' | 'HttpApi',
  pointer: string,
  ref: { name: string; arn: string },
  timeoutS: number,
): EventRoute | undefined {
  const pp = childPointer(pointer, 'Properties')
  const props = isObject(ev.Properties) ? ev.Properties : {}
  const path = r.string(props, 'Path', pp, type === 'Api')
  const method = r.string(props, 'Method', pp, type === 'Api')
  const apiRef = type === 'Api' ? props.RestApiId : props.ApiId
  const api = typeof apiRef === 'string' ? apiRef : IMPLICIT[type]!
  const auth = isObject(props.Auth) ? props.Auth : {}
  const isDefault = type === 'HttpApi' && path === undefined && method === undefined
  if (type === 'Api' && (path === undefined || method === undefined)) return undefined
  const given = props.PayloadFormatVersion
  const payload = type === 'Api' ? '1.0' : given === '1.0' || given === 1 ? '1.0' : '2.0'
  const limit =
    type === 'Api' ? 29_000 : typeof props.TimeoutInMillis === 'number' ? props.TimeoutInMillis : 30_000
  const verb =
    method === undefined
      ? 'ANY'
      : method.toLowerCase() === 'any' || method === '*'
        ? 'ANY'
        : method.toUpperCase()
  return {
    type,
    api,
    authorizer: typeof auth.Authorizer === 'string' ? auth.Authorizer : undefined,
    apiKey: typeof auth.ApiKeyRequired === 'boolean' ? auth.ApiKeyRequired : undefined,
    properties: props,
    scopes: r.stringArray(auth, 'AuthorizationScopes', childPointer(pp, 'Auth')) ?? [],
    route: {
      method: isDefault ? '$default' : verb,
      resourcePath: path ?? '/',
      pointer,
      integration: {
        type: 'aws_proxy',
        functionName: ref.name,
        functionArn: ref.arn,
        payloadFormatVersion: payload,
        timeoutMs: Math.min(timeoutS * 1000, limit),
        pointer,
      },
      security: [],
      securityPointer: childPointer(childPointer(pp, 'Auth'), 'Authorizer'),
    },
  }
}

/**
 * SAM's Globals: maps merge key by key (an API's `Auth` keeps the global `Authorizers` next to
 * its own `DefaultAuthorizer`), lists are joined, and the resource's own value wins otherwise.
 */
function withGlobals(global: JsonObject, own: JsonObject): JsonObject {
  const out: JsonObject = { ...global }
  for (const [key, value] of Object.entries(own)) {
    const base = out[key]
    const intrinsic = isObject(value) && Object.keys(value).some((k) => k === 'Ref' || k.startsWith('Fn::'))
    out[key] =
      isObject(base) && isObject(value) && !intrinsic
        ? withGlobals(base, value)
        : Array.isArray(base) && Array.isArray(value)
          ? [...base, ...value]
          : value
  }
  return out
}
