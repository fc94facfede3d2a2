/**
 * Request header names the gateway owns. Upstreams trust them to describe the request as the
 * edge saw it (the original URI and prefix, the caller's address, an AWS identity), so a
 * client's copy is dropped before anything is forwarded, and only the gateway adds its own.
 */

/** The gateway's own namespace: trusted identity headers travel under it. */
export const GATEWAY_HEADER_PREFIX = 'x-forcegate-'

const OWNED_NAMES: ReadonlySet<string> = new Set([
  'forwarded',
  'x-real-ip',
  // Rewrite hints some frameworks and auth proxies read as the path actually requested.
  'x-rewrite-url',
  // API Gateway's own carriers of the event and context (serverless-express and the like).
  'x-apigateway-event',
  'x-apigateway-context',
])

const OWNED_PREFIXES: readonly string[] = [
  GATEWAY_HEADER_PREFIX,
  // X-Forwarded-For/-Host/-Proto are rewritten by the gateway; -Prefix, -Uri, -Port, … are not
  // the client's to choose either.
  'x-forwarded-',
  // X-Original-URI/-URL/-Host/-Method: the request before a proxy rewrote it.
  'x-original-',
  // AWS's namespace: ALB OIDC identity, request ids, remapped headers, API ids.
  'x-amzn-',
]

/** True when `lowerName` (already lower-cased) is a header only the gateway may set. */
export function isGatewayOwnedHeader(lowerName: string): boolean {
  if (OWNED_NAMES.has(lowerName)) return true
  for (const prefix of OWNED_PREFIXES) if (lowerName.startsWith(prefix)) return true
  return false
}

/** True for the gateway's own `x-forcegate-*` namespace. */
export function isGatewayNamespaceHeader(lowerName: string): boolean {
  return lowerName.startsWith(GATEWAY_HEADER_PREFIX)
}
