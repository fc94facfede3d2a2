/**
 * A small Salesforce REST client on undici: one call at a time, as the caller (their token)
 * or as the integration user (a token source), with the org's transient answers retried.
 * `REQUEST_LIMIT_EXCEEDED`, 503 and row locks back off (jitter, `Retry-After`, and no retry
 * once `Sforce-Limit-Info` shows the daily allowance spent); the integration user's expired
 * token is minted again once. A streamed body cannot be replayed, so streamed calls are sent
 * once and their transient answer is the caller's to retry. Errors name the org's host and
 * the failure, never a token.
 */
import { channel } from 'node:diagnostics_channel'
import type { Readable } from 'node:stream'
import { type Dispatcher, request } from 'undici'
import { GatewayError } from '../../errors/gateway-error.ts'
import { ORG_CALL_CHANNEL, type OrgCallFact } from '../../observability/metric-facts.ts'
import { stageSpan } from '../../observability/stage-span.ts'
import type { CallerToken } from './caller-token.ts'
import type { OrgSession, TokenSource } from './integration-user-token.ts'
import { TokenMintError } from './integration-user-token.ts'
import { type ApiUsage, parseLimitInfo } from './limit-info.ts'
import { DEFAULT_RETRY, nextDelay, type RetryPolicy, transientOf } from './retry-policy.ts'

export const API_VERSION = 'v62.0'
const MAX_ANSWER_BYTES = 16 * 1024 * 1024

export type SalesforceCredentials =
  | { readonly kind: 'caller'; readonly token: CallerToken; readonly instanceUrl: string }
  | { readonly kind: 'integrationUser'; readonly source: TokenSource }

export interface SalesforceCall {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  /** Below `/services/data/vXX.X`, starting with `/`. */
  readonly path: string
  readonly body?: string | (() => Readable)
  readonly headers?: Readonly<Record<string, string>>
}

export interface SalesforceAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
  /** The body parsed as JSON, or undefined. */
  readonly json: unknown
  /** The first error's `errorCode`, when the body is Salesforce's error array. */
  readonly errorCode: string | undefined
  readonly usage: ApiUsage | undefined
  readonly attempts: number
}

export interface SalesforceRestDeps {
  readonly dispatcher: Dispatcher
  readonly timeoutMs: number
  readonly retry?: RetryPolicy
  readonly sleep?: (ms: number) => Promise<void>
  readonly random?: () => number
}

const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'])

export class SalesforceRest {
  readonly #deps: SalesforceRestDeps
  readonly #retry: RetryPolicy
  readonly #sleep: (ms: number) => Promise<void>

  constructor(deps: SalesforceRestDeps) {
    this.#deps = deps
    this.#retry = deps.retry ?? DEFAULT_RETRY
    this.#sleep = deps.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)))
  }

  async call(credentials: SalesforceCredentials, call: SalesforceCall): Promise<SalesforceAnswer> {
    const streamed = typeof call.body === 'function'
    let stale: OrgSession | undefined
    let refreshed = false
    const kind = kindOf(call)
    for (let attempt = 0; ; attempt++) {
      const { authorization, base, session } = await this.#authorize(credentials, stale)
      const answer = await stageSpan(`org call ${kind}`, { 'forcegate.org_call.kind': kind }, () =>
        this.#send(base, authorization, call, attempt + 1),
      ).catch((err: unknown) => {
        counted(kind, 'failed')
        throw err
      })
      if (answer.status === 401 && credentials.kind === 'integrationUser' && !refreshed && !streamed) {
        counted(kind, 'retried')
        refreshed = true
        stale = session
        attempt--
        continue
      }
      const transient = transientOf(answer.status, answer.errorCode)
      const delay =
        transient === undefined || streamed
          ? undefined
          : nextDelay(
              this.#retry,
              attempt,
              answer.usage,
              answer.headers['retry-after'],
              this.#deps.random ?? Math.random,
            )
      if (delay === undefined) {
        counted(kind, answer.status < 400 ? 'ok' : answer.status < 500 ? 'refused' : 'failed')
        return answer
      }
      counted(kind, 'retried')
      await this.#sleep(delay)
    }
  }

  async #authorize(
    credentials: SalesforceCredentials,
    stale: OrgSession | undefined,
  ): Promise<{ authorization: string; base: string; session: OrgSession | undefined }> {
    if (credentials.kind === 'caller')
      return { authorization: credentials.token.bearer(), base: credentials.instanceUrl, session: undefined }
    try {
      const session = await credentials.source.session(stale)
      return { authorization: `Bearer ${session.accessToken}`, base: session.instanceUrl, session }
    } catch (err) {
      if (!(err instanceof TokenMintError)) throw err
      throw new GatewayError('GW_INTEGRATION_FAILURE', {
        reason: 'salesforce.integration_user_token',
        detail: err.message,
      })
    }
  }

  async #send(
    base: string,
    authorization: string,
    call: SalesforceCall,
    attempts: number,
  ): Promise<SalesforceAnswer> {
    const url = new URL(`${base}/services/data/${API_VERSION}${call.path}`)
    const body = typeof call.body === 'function' ? call.body() : call.body
    let answer: Dispatcher.ResponseData<unknown>
    try {
      answer = await request(url, {
        method: call.method,
        dispatcher: this.#deps.dispatcher,
        headers: {
          accept: 'application/json',
          ...(typeof body === 'string' ? { 'content-type': 'application/json' } : {}),
          ...call.headers,
          authorization,
        },
        body: body ?? null,
        headersTimeout: this.#deps.timeoutMs,
        bodyTimeout: this.#deps.timeoutMs,
        maxRedirections: 0,
      } as Parameters<typeof request>[1])
    } catch (err) {
      throw transportError(url, err)
    }
    let text: string
    try {
      text = await readCapped(answer.body)
    } catch (err) {
      throw transportError(url, err)
    }
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(answer.headers))
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
    let json: unknown
    try {
      json = text === '' ? undefined : JSON.parse(text)
    } catch {
      json = undefined
    }
    const first = Array.isArray(json) ? (json[0] as Record<string, unknown> | undefined) : undefined
    return {
      status: answer.statusCode,
      headers,
      text,
      json,
      errorCode: typeof first?.errorCode === 'string' ? first.errorCode : undefined,
      usage: parseLimitInfo(headers['sforce-limit-info']),
      attempts,
    }
  }
}

const orgCalls = channel(ORG_CALL_CHANNEL)

/** Each attempt, for metrics and spans: the method on the path's first segment (`sobjects_patch`). */
function kindOf(call: SalesforceCall): string {
  const segment = /^\/([A-Za-z]+)/.exec(call.path)?.[1] ?? 'rest'
  return `${segment}_${call.method.toLowerCase()}`
}

function counted(kind: string, outcome: OrgCallFact['outcome']): void {
  if (orgCalls.hasSubscribers) orgCalls.publish({ kind, outcome } satisfies OrgCallFact)
}

async function readCapped(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += (chunk as Buffer).length
    if (size > MAX_ANSWER_BYTES) {
      body.destroy()
      throw Object.assign(new Error('answer too large'), { code: 'FG_ANSWER_TOO_LARGE' })
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function transportError(url: URL, err: unknown): GatewayError {
  const code = (err as { code?: string }).code ?? ''
  if (err instanceof GatewayError) return err
  if (TIMEOUTS.has(code))
    return new GatewayError('GW_INTEGRATION_TIMEOUT', {
      reason: 'salesforce.timeout',
      detail: `${url.origin}: ${code}`,
    })
  return new GatewayError('GW_UPSTREAM_UNREACHABLE', {
    reason: 'salesforce.unreachable',
    detail: `${url.origin}: ${code || (err as Error).message}`,
  })
}
