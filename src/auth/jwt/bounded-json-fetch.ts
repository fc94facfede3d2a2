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
  const signal = AbortSignal.timeout(limits.timeoutMs)
  let response: Response
  try {
    response = await fetchFn(url, {
      method: 'GET',
      redirect: 'error',
      signal,
      headers: { accept: 'application/json' },
    })
  } catch (err) {
    throw new KeySourceFetchError(`request to ${url.origin} failed`, { cause: err })
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined)
    throw new KeySourceFetchError(`${url.origin} answered ${response.status}`)
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN)
  if (declared > limits.maxBytes) {
    await response.body?.cancel().catch(() => undefined)
    throw new KeySourceFetchError(`${url.origin} response exceeds ${limits.maxBytes} bytes`)
  }
  const text = await readCapped(response, limits.maxBytes, url)
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    throw new KeySourceFetchError(`${url.origin} did not answer JSON`, { cause: err })
  }
}

async function readCapped(response: Response, maxBytes: number, url: URL): Promise<string> {
  if (response.body === null) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined)
        throw new KeySourceFetchError(`${url.origin} response exceeds ${maxBytes} bytes`)
      }
      chunks.push(value)
    }
  } catch (err) {
    if (err instanceof KeySourceFetchError) throw err
    throw new KeySourceFetchError(`reading from ${url.origin} failed`, { cause: err })
  }
  return Buffer.concat(chunks).toString('utf8')
}
