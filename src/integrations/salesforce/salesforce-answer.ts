/**
 * What the client sees of Salesforce's answer to a write. A record's fate (created, updated,
 * a duplicate, several matches, not found, refused by sharing, invalid) is the integration's
 * answer, JSON with Salesforce's `errorCode` and message (which carry no credentials); the
 * org being out of reach, out of allowance or refusing the gateway's own token is a gateway
 * failure. Nothing of the request's headers or the token is ever echoed.
 */
import { GatewayError } from '../../errors/gateway-error.ts'
import type { BufferedResponse } from '../../lib/buffered-response.ts'
import type { SalesforceAnswer } from './salesforce-rest.ts'

export interface SalesforceError {
  readonly errorCode: string
  readonly message: string
  readonly fields?: readonly string[]
  /** Ids of the records a duplicate rule matched. */
  readonly duplicates?: readonly string[]
  readonly duplicateRule?: string
}

const JSON_TYPE: readonly [string, string] = ['content-type', 'application/json']

export function jsonResponse(
  status: number,
  body: unknown,
  extra: readonly (readonly [string, string])[] = [],
): BufferedResponse {
  return { status, headers: [JSON_TYPE, ...extra], body: JSON.stringify(body) }
}

/**
 * Salesforce's error objects in a form the client can act on. The duplicate result's key is
 * read in both spellings: real orgs answer `duplicateResut`, the documentation `duplicateResult`.
 */
export function readErrors(value: unknown): SalesforceError[] {
  if (!Array.isArray(value)) return []
  return value.flatMap((raw) => {
    if (typeof raw !== 'object' || raw === null) return []
    const e = raw as Record<string, unknown>
    const errorCode = String(e.errorCode ?? e.statusCode ?? 'UNKNOWN_EXCEPTION')
    const out: {
      errorCode: string
      message: string
      fields?: string[]
      duplicates?: string[]
      duplicateRule?: string
    } = { errorCode, message: String(e.message ?? '') }
    if (Array.isArray(e.fields) && e.fields.length > 0) out.fields = e.fields.map(String)
    const dup = (e.duplicateResut ?? e.duplicateResult) as Record<string, unknown> | undefined
    if (dup !== undefined && typeof dup === 'object' && dup !== null) {
      if (typeof dup.duplicateRule === 'string') out.duplicateRule = dup.duplicateRule
      const matches = Array.isArray(dup.matchResults) ? dup.matchResults : []
      out.duplicates = matches.flatMap((m) =>
        Array.isArray((m as Record<string, unknown>).matchRecords)
          ? ((m as Record<string, unknown>).matchRecords as Record<string, unknown>[]).flatMap((r) => {
              const id = (r.record as Record<string, unknown> | undefined)?.Id
              return typeof id === 'string' ? [id] : []
            })
          : [],
      )
    }
    return [out]
  })
}

/** The status a record-level Salesforce error becomes. */
export function statusOfError(errorCode: string): number {
  if (errorCode === 'DUPLICATES_DETECTED' || errorCode === 'DUPLICATE_VALUE') return 409
  if (errorCode.startsWith('INSUFFICIENT_ACCESS')) return 403
  if (errorCode === 'NOT_FOUND' || errorCode === 'ENTITY_IS_DELETED') return 404
  return 400
}

/**
 * Answers that are not about the record: the caller's token refused (401, as the gateway's
 * own refusal would be), the gateway's integration user refused, the allowance or the org
 * unavailable after the retries (503 with `Retry-After`), anything else unexpected (502).
 * Returns undefined when the answer is about the record.
 */
export function orgFailure(
  answer: SalesforceAnswer,
  asCaller: boolean,
): GatewayError | BufferedResponse | undefined {
  if (answer.status === 401) {
    if (asCaller)
      return new GatewayError('GW_TOKEN_INVALID', {
        reason: 'salesforce.caller_session',
        detail: `the org refused the caller's token (${answer.errorCode ?? answer.status})`,
        headers: { 'www-authenticate': 'Bearer realm="forcegate", error="invalid_token"' },
      })
    return new GatewayError('GW_INTEGRATION_FAILURE', {
      reason: 'salesforce.integration_user_session',
      detail: `the org refused the integration user's fresh token (${answer.errorCode ?? answer.status})`,
    })
  }
  const usage =
    answer.usage === undefined ? {} : { apiUsage: { used: answer.usage.used, max: answer.usage.max } }
  if (answer.errorCode === 'REQUEST_LIMIT_EXCEEDED')
    return jsonResponse(
      503,
      {
        message: 'Salesforce API request limit exceeded; try again later',
        errorCode: 'REQUEST_LIMIT_EXCEEDED',
        attempts: answer.attempts,
        ...usage,
      },
      [['retry-after', answer.headers['retry-after'] ?? '60']],
    )
  if (answer.status === 503 || answer.status === 502)
    return jsonResponse(
      503,
      {
        message: 'Salesforce is unavailable; try again later',
        errorCode: 'SERVER_UNAVAILABLE',
        attempts: answer.attempts,
      },
      [['retry-after', answer.headers['retry-after'] ?? '5']],
    )
  if (answer.status >= 500 || (answer.status >= 400 && !Array.isArray(answer.json)))
    return new GatewayError('GW_INTEGRATION_FAILURE', {
      reason: 'salesforce.unexpected_answer',
      detail: `status ${answer.status} ${answer.errorCode ?? ''}`.trim(),
    })
  return undefined
}

/** A single-record write's answer: created / updated, or the record's error. */
export function recordAnswer(answer: SalesforceAnswer, asCaller: boolean): BufferedResponse {
  const failure = orgFailure(answer, asCaller)
  if (failure instanceof GatewayError) throw failure
  if (failure !== undefined) return failure
  const body = (answer.json ?? {}) as Record<string, unknown>
  if (answer.status === 201) return jsonResponse(201, { id: body.id, created: true, success: true })
  if (answer.status === 200 || answer.status === 204)
    return jsonResponse(200, { id: body.id ?? null, created: false, success: true })
  if (answer.status === 300)
    return jsonResponse(409, {
      message: 'More than one record matches this external ID',
      errorCode: 'MULTIPLE_CHOICES',
      matches: Array.isArray(answer.json) ? answer.json.map((u) => String(u).split('/').pop()) : [],
    })
  const errors = readErrors(answer.json)
  const first = errors[0] ?? { errorCode: 'UNKNOWN_EXCEPTION', message: `status ${answer.status}` }
  const status = answer.status === 404 ? 404 : statusOfError(first.errorCode)
  return jsonResponse(status, { ...first, errors })
}
