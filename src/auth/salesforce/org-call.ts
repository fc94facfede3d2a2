/**
 * One HTTP exchange with the org: a deadline, a body size cap and no redirects (a redirect
 * could carry the caller's token or the gateway's client secret to a host nobody named).
 * Transport failures surface as OrgCallError, which the enforcer turns into a 503; this
 * module never decides what an answer means.
 */

export class OrgCallError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'OrgCallError'
  }
}

export interface OrgAnswer {
  readonly status: number
  readonly contentType: string
  readonly text: string
}

export interface OrgCallLimits {
  readonly timeoutMs: number
  readonly maxBytes: number
}

export const MAX_ORG_ANSWER_BYTES = 65_536

export async function callOrg(
  fetchFn: typeof fetch,
  url: URL,
  init: { readonly method: 'GET' | 'POST'; readonly headers: Record<string, string>; readonly body?: string },
  limits: OrgCallLimits,
): Promise<OrgAnswer> {
  const signal = AbortSignal.timeout(limits.timeoutMs)
  let response: Response
  try {
    response = await fetchFn(url, {
      method: init.method,
      headers: init.headers,
      redirect: 'error',
      signal,
      ...(init.body === undefined ? {} : { body: init.body }),
    })
  } catch (err) {
    throw new OrgCallError(`request to ${url.origin} failed`, { cause: err })
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN)
  if (declared > limits.maxBytes) {
    await response.body?.cancel().catch(() => undefined)
    throw new OrgCallError(`${url.origin} answer exceeds ${limits.maxBytes} bytes`)
  }
  const text = await readCapped(response, limits.maxBytes, url)
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text }
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
        throw new OrgCallError(`${url.origin} answer exceeds ${maxBytes} bytes`)
      }
      chunks.push(value)
    }
  } catch (err) {
    if (err instanceof OrgCallError) throw err
    // The deadline also covers the body: a slow trickle is a timeout, not an answer.
    throw new OrgCallError(`reading from ${url.origin} failed`, { cause: err })
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Strict JSON object, or undefined; duplicate names are harmless here (the org is trusted). */
export function jsonObject(text: string): Readonly<Record<string, unknown>> | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  return value as Record<string, unknown>
}
