/**
 * `$context` in a mapping template: the request's identity and routing facts. Authorizer
 * context values are stringified (`1` → `"1"`, `true` → `"true"`) as API Gateway does, and
 * `principalId` sits next to them; JWT claims appear under `$context.authorizer.claims`.
 * `requestOverride` and `responseOverride` are fresh, writable maps on every render: a template
 * sets `$context.responseOverride.status` to change the status the client gets, once: each
 * override may be set only once (write-once.ts).
 */
import { printsAsNull } from './vtl-string.ts'
import { WriteOnceMap } from './write-once.ts'

export interface ContextFacts {
  readonly requestId: string
  readonly extendedRequestId?: string
  readonly httpMethod: string
  /** The resource template, e.g. `/pets/{petId}`. */
  readonly resourcePath: string
  /** The concrete path the client called, with the stage. */
  readonly path: string
  readonly stage: string
  readonly apiId: string
  readonly accountId: string
  readonly resourceId?: string
  readonly domainName: string
  readonly domainPrefix?: string
  readonly protocol: string
  readonly requestTime: string
  readonly requestTimeEpoch: number
  readonly identity: Readonly<Record<string, string | null>>
  /** The authorizer's output: principalId, context keys and (for JWT) claims. */
  readonly authorizer?: Readonly<Record<string, unknown>>
  /** The request's `Idempotency-Key` header (the relay sends the EventUuid there). */
  readonly idempotencyKey?: string
  /** Set for gateway responses: `$context.error.message`, `.responseType`, … */
  readonly error?: {
    readonly message: string
    readonly responseType: string
    readonly validationErrorString?: string
  }
}

function stringify(v: unknown): unknown {
  if (v === null || v === undefined) return v
  if (typeof v === 'object') return v
  return String(v)
}

function authorizerMap(authorizer: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (authorizer === undefined) return out
  for (const [k, v] of Object.entries(authorizer)) {
    if (k === '__proto__') continue
    // AWS: "Calling $context.authorizer.claims returns null"; its properties read as usual.
    out[k] =
      k === 'claims' && typeof v === 'object' && v !== null ? printsAsNull(stringifyClaims(v)) : stringify(v)
  }
  return out
}

function stringifyClaims(claims: object): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(claims)) {
    if (k === '__proto__') continue
    out[k] = Array.isArray(v) ? v.map(String).join(' ') : stringify(v)
  }
  return out
}

function responseOverride(): WriteOnceMap {
  const map = new WriteOnceMap('$context.responseOverride')
  ;(map as unknown as Record<string, unknown>).header = new WriteOnceMap('$context.responseOverride.header')
  return map
}

/** A new `$context` for one render: nothing a template sets outlives it. */
export function buildContextVariable(facts: ContextFacts): Record<string, unknown> {
  const error =
    facts.error === undefined
      ? {}
      : {
          message: facts.error.message,
          messageString: JSON.stringify(facts.error.message),
          responseType: facts.error.responseType,
          validationErrorString: facts.error.validationErrorString ?? '',
        }
  return {
    requestId: facts.requestId,
    extendedRequestId: facts.extendedRequestId ?? facts.requestId,
    awsEndpointRequestId: facts.requestId,
    httpMethod: facts.httpMethod,
    resourcePath: facts.resourcePath,
    path: facts.path,
    stage: facts.stage,
    apiId: facts.apiId,
    accountId: facts.accountId,
    resourceId: facts.resourceId ?? '',
    domainName: facts.domainName,
    domainPrefix: facts.domainPrefix ?? facts.domainName.split('.')[0],
    protocol: facts.protocol,
    requestTime: facts.requestTime,
    requestTimeEpoch: facts.requestTimeEpoch,
    identity: { ...facts.identity },
    authorizer: authorizerMap(facts.authorizer),
    // forcegate's own, not API Gateway's: empty when the request has no Idempotency-Key.
    idempotencyKey: facts.idempotencyKey ?? '',
    error,
    requestOverride: {
      header: new WriteOnceMap('$context.requestOverride.header'),
      querystring: new WriteOnceMap('$context.requestOverride.querystring'),
      path: new WriteOnceMap('$context.requestOverride.path'),
    },
    responseOverride: responseOverride(),
  }
}

export interface ResponseOverride {
  readonly status: number | undefined
  readonly headers: readonly (readonly [string, string])[]
}

/** What a template wrote into `$context.responseOverride` (status must be 100..599). */
export function readResponseOverride(context: Record<string, unknown>): ResponseOverride {
  const o = context.responseOverride as { status?: unknown; header?: Record<string, unknown> } | undefined
  const n = Number(o?.status)
  const status = Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined
  const headers = Object.entries(o?.header ?? {})
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]): [string, string] => [k, String(v)])
  return { status, headers }
}
