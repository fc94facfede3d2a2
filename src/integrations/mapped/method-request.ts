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

export function methodRequestOf(call: Pick<IntegrationCall, 'view' | 'authorizer'>): MethodRequest {
  const { view } = call
  const req = view.request
  const header: Record<string, string> = {}
  // $input.params().header keeps the client's casing; lookups by name are case-insensitive.
  for (const [name, value] of req.rawHeaders) header[name] = value
  const headers: Record<string, readonly string[]> = {}
  for (const [name, values] of req.headers) headers[name] = values
  const query: Record<string, readonly string[]> = {}
  const querystring: Record<string, string> = {}
  for (const [name, values] of parseQuery(req.rawQuery)) {
    query[name] = values
    querystring[name] = values.at(-1) as string
  }
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
    ...(call.authorizer === undefined ? {} : { authorizer: call.authorizer }),
    ...(headers['idempotency-key'] === undefined
      ? {}
      : { idempotencyKey: headers['idempotency-key'].at(-1) as string }),
  }
  return {
    params: { path: { ...(view.pathParameters ?? {}) }, querystring, header },
    headers,
    query,
    facts,
    stageVariables: view.stageVariables ?? {},
  }
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
