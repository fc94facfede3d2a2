/**
 * The method request as mapping templates and parameter mappings see it, built once per
 * request from the routed view: single-value maps for `$input.params()` (the last value of a
 * repeated header or query parameter, as API Gateway keeps), multi-value maps for
 * `method.request.multivalue*`, and the facts `$context` is made of.
 */
import { formatRequestTime } from '../../events/request-time.ts'
import { domainOf } from '../../events/request-view.ts'
import { lastHeader, parseQuery } from '../../http/gateway-request.ts'
import type { ContextFacts } from '../mapping/context-variable.ts'
import type { MethodRequestParams } from '../mapping/input-variable.ts'
import type { MappingSources } from '../mapping/parameter-mapping.ts'
import type { IntegrationCall } from '../types.ts'

export interface MethodRequest {
  readonly params: MethodRequestParams
  /** Lower-cased header names → every value. */
  readonly headers: Readonly<Record<string, readonly string[]>>
  readonly query: Readonly<Record<string, readonly string[]>>
  readonly facts: ContextFacts
  readonly stageVariables: Readonly<Record<string, string>>
}

/**
 * Built on first use, each part once: a template that never calls `$input.params()` and an
 * integration without parameter mappings never pay for the maps of headers and query.
 */
class LazyMethodRequest implements MethodRequest {
  readonly #call: Pick<IntegrationCall, 'view' | 'authorizer'>
  #params: MethodRequestParams | undefined
  #headers: Record<string, readonly string[]> | undefined
  #query: Record<string, readonly string[]> | undefined
  #facts: ContextFacts | undefined

  constructor(call: Pick<IntegrationCall, 'view' | 'authorizer'>) {
    this.#call = call
  }

  get stageVariables(): Readonly<Record<string, string>> {
    return this.#call.view.stageVariables ?? NO_STAGE_VARIABLES
  }

  get params(): MethodRequestParams {
    if (this.#params !== undefined) return this.#params
    const { view } = this.#call
    const header: Record<string, string> = {}
    // $input.params().header keeps the client's casing; lookups by name are case-insensitive.
    for (const [name, value] of view.request.rawHeaders) header[name] = value
    const querystring: Record<string, string> = {}
    for (const [name, values] of Object.entries(this.query)) querystring[name] = values.at(-1) as string
    this.#params = { path: { ...(view.pathParameters ?? {}) }, querystring, header }
    return this.#params
  }

  get headers(): Readonly<Record<string, readonly string[]>> {
    if (this.#headers !== undefined) return this.#headers
    const headers: Record<string, readonly string[]> = {}
    for (const [name, values] of this.#call.view.request.headers) headers[name] = values
    this.#headers = headers
    return headers
  }

  get query(): Readonly<Record<string, readonly string[]>> {
    if (this.#query !== undefined) return this.#query
    const query: Record<string, readonly string[]> = {}
    for (const [name, values] of parseQuery(this.#call.view.request.rawQuery)) query[name] = values
    this.#query = query
    return query
  }

  get facts(): ContextFacts {
    if (this.#facts !== undefined) return this.#facts
    const { view, authorizer } = this.#call
    const req = view.request
    const idempotencyKey = lastHeader(req, 'idempotency-key')
    // The same facts as a proxy event's requestContext, without building that whole object.
    const { domainName, domainPrefix } = domainOf(view)
    const stagePrefix = view.stage === '$default' ? '' : `/${view.stage}`
    const facts: ContextFacts = {
      requestId: req.requestId,
      httpMethod: req.method,
      resourcePath: view.resourcePath,
      path: `${stagePrefix}${req.path}`,
      stage: view.stage,
      apiId: view.deployment.apiId,
      accountId: view.deployment.accountId,
      resourceId: view.deployment.resourceId,
      domainName,
      domainPrefix,
      protocol: req.protocol,
      requestTime: formatRequestTime(req.receivedAt),
      requestTimeEpoch: req.receivedAt,
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.sourceIp,
        user: null,
        userAgent: lastHeader(req, 'user-agent') ?? null,
        userArn: null,
        clientCert: null,
      },
      ...(authorizer === undefined ? {} : { authorizer }),
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    }
    this.#facts = facts
    return facts
  }
}

const NO_STAGE_VARIABLES: Readonly<Record<string, string>> = Object.freeze({})

export function methodRequestOf(call: Pick<IntegrationCall, 'view' | 'authorizer'>): MethodRequest {
  return new LazyMethodRequest(call)
}

/** The sources request parameter mappings read from. */
export function requestSources(
  m: MethodRequest,
  body: string,
  context: Readonly<Record<string, unknown>>,
): MappingSources {
  return {
    path: m.params.path,
    querystring: m.query,
    header: m.headers,
    body,
    context,
    stageVariables: m.stageVariables,
  }
}
