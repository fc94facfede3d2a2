import { lastHeader } from '../http/gateway-request.ts'
import { formatRequestTime } from './request-time.ts'
import { domainOf, type RequestView } from './request-view.ts'

/** `requestContext` of payload 1.0 events (REST proxy, REST REQUEST authorizer). */
export function requestContextV1(view: RequestView): Record<string, unknown> {
  const { request: req, deployment } = view
  const { domainName, domainPrefix } = domainOf(view)
  const stagePrefix = view.stage === '$default' ? '' : `/${view.stage}`
  return {
    accountId: deployment.accountId,
    apiId: deployment.apiId,
    domainName,
    domainPrefix,
    extendedRequestId: req.requestId,
    httpMethod: req.method,
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
    // $context.path carries the stage prefix on execute-api domains, unlike the top-level path.
    path: `${stagePrefix}${req.path}`,
    protocol: req.protocol,
    requestId: req.requestId,
    requestTime: formatRequestTime(req.receivedAt),
    requestTimeEpoch: req.receivedAt,
    resourceId: deployment.resourceId,
    resourcePath: view.resourcePath,
    stage: view.stage,
  }
}

/** `requestContext` of payload 2.0 events (HTTP API proxy and REQUEST authorizer). */
export function requestContextV2(view: RequestView): Record<string, unknown> {
  const { request: req, deployment } = view
  const { domainName, domainPrefix } = domainOf(view)
  return {
    accountId: deployment.accountId,
    apiId: deployment.apiId,
    domainName,
    domainPrefix,
    http: {
      method: req.method,
      path: req.path,
      protocol: req.protocol,
      sourceIp: req.sourceIp,
      userAgent: lastHeader(req, 'user-agent') ?? '',
    },
    requestId: req.requestId,
    routeKey: view.routeKey,
    stage: view.stage,
    time: formatRequestTime(req.receivedAt),
    timeEpoch: req.receivedAt,
  }
}
