import type { Clock } from '../cache/ttl-lru.ts'
import { envFileHint } from '../config/env-file-hint.ts'
import { DcrError, type DcrErrorCode } from './dcr-error.ts'
import { checkRedirectUris, isLoopbackHttp, type RedirectUriLimits } from './redirect-uri-policy.ts'

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>

export interface DcrClientOptions {
  /** The org's base URL (My Domain), e.g. `https://acme.my.salesforce.com`. */
  readonly orgUrl: string
  /** Read when a registration is sent, so a regenerated token can be swapped in. */
  readonly initialAccessToken: () => string | undefined
  readonly fetch?: FetchLike
  readonly clock?: Clock
  readonly timeoutMs?: number
  readonly redirectUriLimits?: RedirectUriLimits
}

export interface RegistrationRequest {
  readonly clientName: string
  readonly redirectUris: readonly string[]
  /** Space-joined into the RFC 7591 `scope` parameter. */
  readonly scopes: readonly string[]
  readonly contacts?: readonly string[]
}

/** What the org reported about a client (RFC 7591 §3.2.1 / RFC 7592 §3). */
export interface RegisteredClient {
  readonly clientId: string
  readonly clientSecret: string | undefined
  readonly registrationAccessToken: string
  readonly registrationClientUri: string
  readonly clientIdIssuedAt: number
  readonly clientSecretExpiresAt: number | undefined
  readonly redirectUris: readonly string[]
  /** Salesforce answers a `scopes` array; RFC 7591 servers a `scope` string. */
  readonly grantedScopes: readonly string[]
}

type Json = Record<string, unknown>

const MAX_ANSWER_BYTES = 1_048_576

const ERROR_BY_STATUS: Readonly<Record<number, DcrErrorCode>> = {
  401: 'DCR_UNAUTHORIZED',
  403: 'DCR_FORBIDDEN',
  405: 'DCR_NOT_SUPPORTED',
}

function describe(body: Json | undefined): { orgError?: string; text: string } {
  const orgError = typeof body?.error === 'string' ? body.error.slice(0, 100) : undefined
  const description = typeof body?.error_description === 'string' ? body.error_description.slice(0, 300) : ''
  if (orgError === undefined) return { text: '' }
  return { orgError, text: description === '' ? `: ${orgError}` : `: ${orgError} (${description})` }
}

/**
 * Registers and manages partner client apps at the org: RFC 7591 registration with the
 * initial access token, RFC 7592 read and delete with each client's registration access token.
 */
export class DcrClient {
  readonly #orgUrl: URL
  readonly #options: DcrClientOptions
  readonly #fetch: FetchLike
  readonly #clock: Clock

  constructor(options: DcrClientOptions) {
    this.#orgUrl = new URL(options.orgUrl)
    this.#options = options
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
    this.#clock = options.clock ?? Date.now
  }

  get registrationEndpoint(): string {
    return new URL('/services/oauth2/register', this.#orgUrl).href
  }

  async register(request: RegistrationRequest): Promise<RegisteredClient> {
    const problems = checkRedirectUris(request.redirectUris, this.#options.redirectUriLimits)
    if (problems.length > 0) {
      const first = problems[0]!
      const where = first.index < 0 ? 'redirect_uris' : `redirect_uris[${first.index}]`
      throw new DcrError('DCR_INVALID_REDIRECT_URI', `${where} ${first.reason}`)
    }
    const token = this.#options.initialAccessToken()
    if (token === undefined || token === '')
      throw new DcrError(
        'DCR_UNAUTHORIZED',
        `no initial access token is configured for registration: set FORCEGATE_INITIAL_ACCESS_TOKEN, or the variable or file that partners.org.initialAccessToken names in forcegate.yaml${envFileHint('FORCEGATE_INITIAL_ACCESS_TOKEN')}`,
      )
    const wantsRefresh = request.scopes.includes('refresh_token') || request.scopes.includes('offline_access')
    const body: Json = {
      client_name: request.clientName,
      redirect_uris: request.redirectUris,
      response_types: ['code'],
      grant_types: wantsRefresh ? ['authorization_code', 'refresh_token'] : ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
      application_type: request.redirectUris.every(isLoopbackHttp) ? 'native' : 'web',
    }
    if (request.scopes.length > 0) body.scope = request.scopes.join(' ')
    if (request.contacts !== undefined && request.contacts.length > 0) body.contacts = request.contacts
    const answer = await this.#call('POST', this.registrationEndpoint, token, body, 'registration')
    if (answer.status !== 201 && answer.status !== 200) throw this.#failure(answer, 'registration')
    return this.#parseClient(answer.body, undefined)
  }

  /** RFC 7592 read. Salesforce and RFC 7592 servers may or may not echo the secret. */
  async read(registrationClientUri: string, registrationAccessToken: string): Promise<RegisteredClient> {
    const uri = this.#checkedManagementUri(registrationClientUri)
    const answer = await this.#call('GET', uri, registrationAccessToken, undefined, 'read')
    if (answer.status !== 200) throw this.#failure(answer, 'read')
    return this.#parseClient(answer.body, registrationAccessToken)
  }

  /** RFC 7592 delete: 204 (or 200) means the org no longer knows the client. */
  async delete(registrationClientUri: string, registrationAccessToken: string): Promise<void> {
    const uri = this.#checkedManagementUri(registrationClientUri)
    const answer = await this.#call('DELETE', uri, registrationAccessToken, undefined, 'delete')
    if (answer.status !== 204 && answer.status !== 200) throw this.#failure(answer, 'delete')
  }

  /**
   * The registration access token is sent only to an https URI or to the org's own origin, so
   * a tampered `registration_client_uri` cannot collect it.
   */
  #checkedManagementUri(uri: string): string {
    let url: URL
    try {
      url = new URL(uri)
    } catch {
      throw new DcrError('DCR_BAD_RESPONSE', 'registration_client_uri is not an absolute URI')
    }
    if (url.protocol !== 'https:' && url.origin !== this.#orgUrl.origin)
      throw new DcrError('DCR_BAD_RESPONSE', 'registration_client_uri must be https or on the org origin')
    return url.href
  }

  async #call(
    method: string,
    url: string,
    token: string,
    body: Json | undefined,
    what: string,
  ): Promise<{ status: number; body: Json | undefined }> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' }
    const init: RequestInit = {
      method,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
    }
    if (body !== undefined) {
      headers['content-type'] = 'application/json'
      init.body = JSON.stringify(body)
    }
    let response: Response
    try {
      response = await this.#fetch(url, init)
    } catch (cause) {
      const reason = cause instanceof Error && cause.name === 'TimeoutError' ? 'timed out' : 'failed'
      throw new DcrError('DCR_ORG_UNAVAILABLE', `${what} request to the org ${reason}`, { cause })
    }
    // Registration answers are a few kilobytes; a huge body is not one, and is not buffered.
    if (Number(response.headers.get('content-length') ?? 0) > MAX_ANSWER_BYTES) {
      await response.body?.cancel()
      throw new DcrError('DCR_BAD_RESPONSE', `the org's ${what} answer is too large`, {
        status: response.status,
      })
    }
    const text = await response.text().catch(() => '')
    let parsed: Json | undefined
    try {
      const value: unknown = text === '' ? undefined : JSON.parse(text)
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) parsed = value as Json
    } catch {
      parsed = undefined
    }
    return { status: response.status, body: parsed }
  }

  #failure(answer: { status: number; body: Json | undefined }, what: string): DcrError {
    const { orgError, text } = describe(answer.body)
    const options = orgError === undefined ? { status: answer.status } : { status: answer.status, orgError }
    let code = ERROR_BY_STATUS[answer.status]
    if (answer.status === 400)
      code = orgError === 'invalid_redirect_uri' ? 'DCR_INVALID_REDIRECT_URI' : 'DCR_INVALID_CLIENT_METADATA'
    if (code === undefined)
      code = answer.status >= 500 || answer.status === 429 ? 'DCR_ORG_UNAVAILABLE' : 'DCR_BAD_RESPONSE'
    const lead: Record<DcrErrorCode, string> = {
      DCR_INVALID_REDIRECT_URI: `the org rejected a redirect URI`,
      DCR_INVALID_CLIENT_METADATA: `the org rejected the client metadata`,
      DCR_UNAUTHORIZED:
        what === 'registration'
          ? 'the org refused the initial access token'
          : 'the org refused the registration access token (the client may no longer exist)',
      DCR_FORBIDDEN: `the org forbade the ${what}`,
      DCR_NOT_SUPPORTED: `the org does not support client ${what}`,
      DCR_ORG_UNAVAILABLE: `the org could not complete the ${what}`,
      DCR_BAD_RESPONSE: `the org answered the ${what} unexpectedly`,
    }
    return new DcrError(code, `${lead[code]} (HTTP ${answer.status})${text}`, options)
  }

  #parseClient(body: Json | undefined, knownToken: string | undefined): RegisteredClient {
    const str = (key: string) => (typeof body?.[key] === 'string' && body[key] !== '' ? body[key] : undefined)
    const num = (key: string) => (typeof body?.[key] === 'number' ? body[key] : undefined)
    const clientId = str('client_id')
    const token = str('registration_access_token') ?? knownToken
    const uri = str('registration_client_uri')
    const missing = [
      clientId === undefined ? 'client_id' : undefined,
      token === undefined ? 'registration_access_token' : undefined,
      uri === undefined ? 'registration_client_uri' : undefined,
    ].filter((x) => x !== undefined)
    if (body === undefined || missing.length > 0)
      throw new DcrError(
        'DCR_BAD_RESPONSE',
        `the org's client response lacks ${missing.join(', ') || 'a JSON body'}`,
      )
    this.#checkedManagementUri(uri!)
    const scopes = Array.isArray(body.scopes)
      ? body.scopes.filter((s): s is string => typeof s === 'string')
      : (str('scope')?.split(' ').filter(Boolean) ?? [])
    const redirects = Array.isArray(body.redirect_uris)
      ? body.redirect_uris.filter((s): s is string => typeof s === 'string')
      : []
    return Object.freeze({
      clientId: clientId!,
      clientSecret: str('client_secret'),
      registrationAccessToken: token!,
      registrationClientUri: uri!,
      clientIdIssuedAt: num('client_id_issued_at') ?? Math.floor(this.#clock() / 1000),
      clientSecretExpiresAt: num('client_secret_expires_at'),
      redirectUris: Object.freeze(redirects),
      grantedScopes: Object.freeze(scopes),
    })
  }
}
