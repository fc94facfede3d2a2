/**
 * One HTTP exchange with an identity provider: a deadline that covers the body too, a body
 * size cap, and no redirects (a redirect could carry a token or a client secret, or move a
 * key source, to a host nobody configured). Every failure is raised through `fail`, so each
 * caller keeps its own error type; this function never decides what an answer means.
 */
export interface CappedExchangeLimits {
  readonly timeoutMs: number
  readonly maxBytes: number
}

export interface CappedAnswer {
  readonly status: number
  readonly contentType: string
  readonly text: string
}

export type ExchangeFailure = (message: string, cause?: unknown) => Error

export async function cappedExchange(
  fetchFn: typeof fetch,
  url: URL,
  init: { readonly method: 'GET' | 'POST'; readonly headers: Record<string, string>; readonly body?: string },
  limits: CappedExchangeLimits,
  fail: ExchangeFailure,
): Promise<CappedAnswer> {
  let response: Response
  try {
    response = await fetchFn(url, {
      method: init.method,
      headers: init.headers,
      redirect: 'error',
      signal: AbortSignal.timeout(limits.timeoutMs),
      ...(init.body === undefined ? {} : { body: init.body }),
    })
  } catch (err) {
    throw fail(`request to ${url.origin} failed`, err)
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN)
  if (declared > limits.maxBytes) {
    await response.body?.cancel().catch(() => undefined)
    throw fail(`${url.origin} answer exceeds ${limits.maxBytes} bytes`)
  }
  const contentType = response.headers.get('content-type') ?? ''
  if (response.body === null) return { status: response.status, contentType, text: '' }
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  let tooLarge = false
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > limits.maxBytes) {
        tooLarge = true
        await reader.cancel().catch(() => undefined)
        break
      }
      chunks.push(value)
    }
  } catch (err) {
    // The deadline also covers the body: a slow trickle is a timeout, not an answer.
    throw fail(`reading from ${url.origin} failed`, err)
  }
  if (tooLarge) throw fail(`${url.origin} answer exceeds ${limits.maxBytes} bytes`)
  return { status: response.status, contentType, text: Buffer.concat(chunks).toString('utf8') }
}
