import type { RequestView } from '../../../../src/events/request-view.ts'
import type { GatewayRequest } from '../../../../src/http/gateway-request.ts'

export interface ViewSpec {
  readonly method?: string
  readonly path?: string
  readonly rawQuery?: string
  readonly headers?: readonly (readonly [string, string])[]
  readonly stage?: string
  readonly resourcePath?: string
  readonly routeKey?: string
  readonly pathParameters?: Record<string, string> | null
  readonly stageVariables?: Record<string, string> | null
  readonly sourceIp?: string
}

/** A request view as routing would hand it to the authorizer; defaults mirror the reference's examples. */
export function makeView(spec: ViewSpec = {}): RequestView {
  const rawHeaders = spec.headers ?? []
  const headers = new Map<string, string[]>()
  for (const [name, value] of rawHeaders) {
    const lower = name.toLowerCase()
    const list = headers.get(lower)
    if (list === undefined) headers.set(lower, [value])
    else list.push(value)
  }
  const request: GatewayRequest = {
    requestId: 'c0ffee00-0000-4000-8000-000000000000',
    method: spec.method ?? 'GET',
    path: spec.path ?? '/orders/42',
    rawQuery: spec.rawQuery ?? '',
    rawHeaders,
    headers,
    sourceIp: spec.sourceIp ?? '203.0.113.7',
    protocol: 'HTTP/1.1',
    receivedAt: Date.UTC(2024, 2, 12, 19, 3, 58),
    body: undefined,
  }
  return {
    request,
    stage: spec.stage ?? 'prod',
    resourcePath: spec.resourcePath ?? '/orders/{orderId}',
    routeKey: spec.routeKey ?? 'GET /orders/{orderId}',
    pathParameters: spec.pathParameters === undefined ? { orderId: '42' } : spec.pathParameters,
    stageVariables: spec.stageVariables === undefined ? null : spec.stageVariables,
    deployment: { apiId: 'a1b2c3d4e5', accountId: '111122223333', region: 'eu-west-1', resourceId: 'x9y8z7' },
  }
}
