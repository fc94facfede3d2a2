import type { GatewayRequest } from '../../http/gateway-request.ts'
import type { BufferedResponse } from '../../lib/buffered-response.ts'

/** An HTTP API's CORS configuration, as the document gives it. */
export interface CorsOptions {
  readonly allowOrigins: readonly string[]
  readonly allowMethods: readonly string[]
  readonly allowHeaders: readonly string[]
  readonly exposeHeaders: readonly string[]
  readonly maxAge: number | undefined
  readonly allowCredentials: boolean
}

type Header = readonly [string, string]

/** What a request asks of CORS: its method and the headers a browser sends for it. */
export type CorsRequest = Pick<GatewayRequest, 'method' | 'headers'>

/** The last value, as API Gateway reads single-value headers. */
function header(req: CorsRequest, name: string): string | undefined {
  const values = req.headers.get(name)
  return values === undefined ? undefined : values[values.length - 1]
}

/**
 * HTTP API CORS, as API Gateway applies it: the gateway answers the preflights no route takes
 * (no authorizer, no integration), and adds the configured headers to the responses of CORS
 * requests, dropping any Access-Control-* header the integration returned. A request whose
 * origin, method or headers are not allowed gets no CORS headers, so the browser refuses it
 * [inferred: the preflight is still 204]. Lists are matched case-insensitively; `*` in
 * allowMethods or allowHeaders answers with what was asked, which also holds with credentials.
 */
export class CorsPolicy {
  readonly #options: CorsOptions
  readonly #origins: ReadonlySet<string>
  readonly #anyOrigin: boolean
  readonly #schemes: readonly string[]
  readonly #methods: ReadonlySet<string>
  readonly #headers: ReadonlySet<string>

  constructor(options: CorsOptions) {
    this.#options = options
    this.#origins = new Set(options.allowOrigins.map((o) => o.toLowerCase()))
    this.#anyOrigin = this.#origins.has('*')
    this.#schemes = [...this.#origins].filter((o) => o.endsWith('://*')).map((o) => o.slice(0, -1))
    this.#methods = new Set(options.allowMethods.map((m) => m.toUpperCase()))
    this.#headers = new Set(options.allowHeaders.map((h) => h.toLowerCase()))
  }

  /** An OPTIONS request carrying Origin and Access-Control-Request-Method. */
  isPreflight(req: CorsRequest): boolean {
    return (
      req.method === 'OPTIONS' &&
      req.headers.has('origin') &&
      req.headers.has('access-control-request-method')
    )
  }

  /** The gateway's answer to a preflight: 204, with the CORS headers when everything asked is allowed. */
  preflight(req: CorsRequest): BufferedResponse {
    const headers: Header[] = []
    const origin = this.#allowOrigin(header(req, 'origin'))
    const method = (header(req, 'access-control-request-method') ?? '').trim().toUpperCase()
    const asked = (header(req, 'access-control-request-headers') ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h !== '')
    const methodAllowed = this.#methods.has('*') || this.#methods.has(method)
    const headersAllowed = this.#headers.has('*') || asked.every((h) => this.#headers.has(h))
    if (origin !== undefined && methodAllowed && headersAllowed) {
      headers.push(['access-control-allow-origin', origin])
      if (this.#options.allowCredentials) headers.push(['access-control-allow-credentials', 'true'])
      headers.push([
        'access-control-allow-methods',
        this.#methods.has('*') ? method : this.#options.allowMethods.join(','),
      ])
      if (asked.length > 0 || this.#options.allowHeaders.length > 0)
        headers.push([
          'access-control-allow-headers',
          this.#headers.has('*') ? asked.join(',') : this.#options.allowHeaders.join(','),
        ])
      if (this.#options.exposeHeaders.length > 0)
        headers.push(['access-control-expose-headers', this.#options.exposeHeaders.join(',')])
      if (this.#options.maxAge !== undefined)
        headers.push(['access-control-max-age', String(this.#options.maxAge)])
    }
    if (origin !== undefined && origin !== '*') headers.push(['vary', 'Origin'])
    return { status: 204, headers, body: '' }
  }

  /** The headers for the response to a (non-preflight) request; none without an allowed Origin. */
  responseHeaders(req: CorsRequest): Header[] {
    const origin = this.#allowOrigin(header(req, 'origin'))
    if (origin === undefined) return []
    const out: Header[] = [['access-control-allow-origin', origin]]
    if (this.#options.allowCredentials) out.push(['access-control-allow-credentials', 'true'])
    if (this.#options.exposeHeaders.length > 0)
      out.push(['access-control-expose-headers', this.#options.exposeHeaders.join(',')])
    if (origin !== '*') out.push(['vary', 'Origin'])
    return out
  }

  /**
   * The CORS headers for a request an integration answers: a preflight's when it is one (an
   * `OPTIONS` route of the API took it), else an actual response's.
   */
  headersFor(req: CorsRequest): Header[] {
    return this.isPreflight(req) ? [...this.preflight(req).headers] : this.responseHeaders(req)
  }

  /** A response with the integration's Access-Control-* headers replaced by the policy's. */
  apply(req: CorsRequest, response: BufferedResponse): BufferedResponse {
    const added = this.headersFor(req)
    const kept = response.headers.filter(([name]) => !name.toLowerCase().startsWith('access-control-'))
    if (added.length === 0 && kept.length === response.headers.length) return response
    return { ...response, headers: [...kept, ...added] }
  }

  #allowOrigin(origin: string | undefined): string | undefined {
    if (origin === undefined || origin === '') return undefined
    const lower = origin.toLowerCase()
    if (this.#origins.has(lower)) return origin
    // `https://*` and `http://*` allow every origin of that scheme, as AWS documents.
    if (this.#schemes.some((scheme) => lower.startsWith(scheme))) return origin
    // With credentials every origin is named (the configuration refuses * with credentials).
    return this.#anyOrigin ? '*' : undefined
  }
}
