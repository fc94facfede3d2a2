/**
 * The request as every stage sees it: canonical path, headers as received (raw casing and
 * order kept, since API Gateway's v1 events preserve client casing), the raw query string,
 * and the body once read. Built once per request by the receive stage.
 */
export interface GatewayRequest {
  readonly requestId: string
  readonly method: string
  /** Canonical path: unreserved escapes decoded, dot segments resolved, duplicate slashes merged. */
  readonly path: string
  /** Query string without the leading `?`, exactly as sent ('' when absent). */
  readonly rawQuery: string
  /** Header pairs in arrival order with their original name casing. */
  readonly rawHeaders: readonly (readonly [name: string, value: string])[]
  /** Lower-cased header name → every value in arrival order. */
  readonly headers: ReadonlyMap<string, readonly string[]>
  /** The caller's address: the peer, or the hop `trustedProxyHops` back in X-Forwarded-For. */
  readonly sourceIp: string
  /** X-Forwarded-For to send upstream when proxies are trusted (their chain plus the peer). */
  readonly forwardedFor?: string
  readonly protocol: string
  /** Milliseconds since the epoch when the request arrived (from the injected clock). */
  readonly receivedAt: number
  /** Request body, read on demand by stages that need it; `undefined` before it is read. */
  body: Buffer | undefined
}

/** Last value of a header, the rule API Gateway applies for single-value maps. */
export function lastHeader(req: GatewayRequest, lowerName: string): string | undefined {
  const values = req.headers.get(lowerName)
  return values === undefined ? undefined : values[values.length - 1]
}

/** Parses a raw query string into decoded name → values, keeping order. */
export function parseQuery(rawQuery: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  if (rawQuery === '') return out
  for (const [name, value] of new URLSearchParams(rawQuery)) {
    const list = out.get(name)
    if (list === undefined) out.set(name, [value])
    else list.push(value)
  }
  return out
}
