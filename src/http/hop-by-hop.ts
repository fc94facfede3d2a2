/** Headers that describe one connection, never forwarded in either direction (RFC 9110 §7.6.1). */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-authorization',
  'proxy-authenticate',
])

const NONE: ReadonlySet<string> = new Set()

/**
 * Names listed in `Connection` are hop-by-hop too. A client that nominates an end-to-end header
 * there (`Connection: close, X-Gateway-User`) only removes its own copy: the gateway adds its
 * trusted headers after this filter runs.
 */
export function connectionNominated(connectionValues: readonly string[] | undefined): ReadonlySet<string> {
  // Most requests name nothing: no set is made for them.
  if (connectionValues === undefined) return NONE
  const names = new Set<string>()
  for (const value of connectionValues) {
    for (const token of value.split(',')) {
      const name = token.trim().toLowerCase()
      if (name !== '') names.add(name)
    }
  }
  return names
}
