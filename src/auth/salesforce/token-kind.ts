import { parseUntrustedJson } from '../jwt/untrusted-json.ts'

/**
 * Which check a bearer token goes to, decided from its shape alone (salesforce.md 4.1,
 * 4.10). Nothing here is proof of anything: the header of a JWT is read untrusted, and the
 * org prefix of an opaque token is only a cheap pre-filter before the org is asked.
 */
export type UntrustedTokenKind =
  | { readonly kind: 'jwt'; readonly untrustedHeader: Readonly<Record<string, unknown>> }
  | { readonly kind: 'opaque'; readonly untrustedOrg15: string }
  | { readonly kind: 'unknown' }

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/
// Session IDs and opaque access tokens: the 15-character org id, `!`, then the secret.
const SESSION_ID = /^(00D[A-Za-z0-9]{12})![A-Za-z0-9\-._~+/]+=*$/

const utf8 = new TextDecoder('utf-8', { fatal: true })

export function classifyToken(token: string): UntrustedTokenKind {
  const session = SESSION_ID.exec(token)
  if (session?.[1] !== undefined) return { kind: 'opaque', untrustedOrg15: session[1] }
  if (COMPACT_JWS.test(token)) {
    const untrustedHeader = parseUntrustedHeader(token.slice(0, token.indexOf('.')))
    if (untrustedHeader !== undefined) return { kind: 'jwt', untrustedHeader }
  }
  return { kind: 'unknown' }
}

function parseUntrustedHeader(segment: string): Readonly<Record<string, unknown>> | undefined {
  const bytes = Buffer.from(segment, 'base64url')
  if (bytes.toString('base64url') !== segment) return undefined
  try {
    const value = parseUntrustedJson(utf8.decode(bytes))
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
    return value as Record<string, unknown>
  } catch {
    return undefined
  }
}
