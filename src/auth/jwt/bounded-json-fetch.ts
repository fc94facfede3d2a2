import { cappedExchange } from '../../lib/capped-exchange.ts'

/**
 * GET a small JSON document from an identity provider with a deadline, a body size cap and
 * no redirects (a redirect could move the key source to a host the issuer never named).
 */

export class KeySourceFetchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'KeySourceFetchError'
  }
}

export interface BoundedFetchLimits {
  readonly timeoutMs: number
  readonly maxBytes: number
}

export async function fetchBoundedJson(
  fetchFn: typeof fetch,
  url: URL,
  limits: BoundedFetchLimits,
): Promise<unknown> {
  const fail = (message: string, cause?: unknown) => new KeySourceFetchError(message, { cause })
  const answer = await cappedExchange(
    fetchFn,
    url,
    { method: 'GET', headers: { accept: 'application/json' } },
    limits,
    fail,
  )
  if (answer.status !== 200) throw fail(`${url.origin} answered ${answer.status}`)
  try {
    return JSON.parse(answer.text) as unknown
  } catch (err) {
    throw fail(`${url.origin} did not answer JSON`, err)
  }
}
