// A route of the served API as a target: each event is an HTTP request to the gateway's own
// listener on loopback, so the whole pipeline runs (authorizers, mapping template, Lambda)
// exactly as for any client. The EventUuid travels as the Idempotency-Key header. With
// `authorization: org` the relay's own org token is the bearer, so a route protected by
// x-forcegate-salesforce admits the relay as the org's integration user.

import { routeBodyOf } from './relay-event.ts'
import { IDEMPOTENCY_HEADER, type RelayTarget, TargetFailure } from './relay-target.ts'

export interface RouteTargetOptions {
  /** The gateway's loopback URL, `http://127.0.0.1:<port>`. */
  readonly gatewayUrl: string
  readonly method: string
  readonly path: string
  /** Configured headers, secrets already read. */
  readonly headers: Readonly<Record<string, string>>
  readonly timeoutMs: number
  /** The relay's org token, sent as `Authorization: Bearer`; refused tokens are invalidated. */
  readonly orgToken?: { token(): Promise<string>; invalidate(): void }
  readonly fetch?: typeof fetch
}

const RETRYABLE_4XX = new Set([408, 425, 429])

export function routeTarget(options: RouteTargetOptions): RelayTarget {
  const doFetch = options.fetch ?? fetch
  const url = new URL(options.path, options.gatewayUrl).toString()
  return {
    description: `${options.method} ${options.path}`,
    async deliver(event) {
      let res: Response
      let bearer: Record<string, string> = {}
      if (options.orgToken !== undefined) {
        try {
          bearer = { authorization: `Bearer ${await options.orgToken.token()}` }
        } catch (err) {
          throw new TargetFailure(
            `no org token for ${options.method} ${options.path}: ${(err as Error).message}`,
          )
        }
      }
      try {
        res = await doFetch(url, {
          method: options.method,
          headers: {
            ...options.headers,
            ...bearer,
            'content-type': 'application/json',
            [IDEMPOTENCY_HEADER]: event.eventUuid,
          },
          body: JSON.stringify(routeBodyOf(event)),
          signal: AbortSignal.timeout(options.timeoutMs),
        })
      } catch (err) {
        throw new TargetFailure(`${options.method} ${options.path} failed: ${(err as Error).message}`)
      }
      // The body is read so the connection goes back to the pool; its content is not ours.
      const text = await res.text().catch(() => '')
      if (res.status >= 200 && res.status < 300) return
      if (res.status === 401 && options.orgToken !== undefined) {
        // A revoked or expired org token: the next attempt fetches a new one.
        options.orgToken.invalidate()
        throw new TargetFailure(`${options.method} ${options.path} refused the org token (401)`)
      }
      const permanent = res.status >= 400 && res.status < 500 && !RETRYABLE_4XX.has(res.status)
      throw new TargetFailure(
        `${options.method} ${options.path} answered ${res.status}: ${text.slice(0, 200)}`,
        permanent,
      )
    },
  }
}
