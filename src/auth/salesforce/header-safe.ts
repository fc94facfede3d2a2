import { tokenRejected } from './salesforce-failure.ts'
import type { ResolvedIdentity } from './types.ts'

/** No C0 control and no DEL: CR/LF would split a header toward the upstream, NUL truncates it. */
export function isHeaderSafe(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c < 0x20 || c === 0x7f) return false
  }
  return true
}

/**
 * Identity values travel to upstreams as headers and into Lambda events, so an identity
 * whose strings could not be sent as a header value is refused where it is built.
 */
export function assertHeaderSafeIdentity(identity: ResolvedIdentity): void {
  const values = [identity.userId, identity.orgId, identity.username ?? '', identity.clientId ?? '']
  if (!values.every(isHeaderSafe) || !identity.scopes.every(isScopeToken)) {
    throw tokenRejected('sf.identity_unsafe', 'identity holds characters unusable in a header')
  }
}

/** RFC 6749 §3.3 scope-token: visible ASCII except `"` and `\`. */
export function isScopeToken(value: string): boolean {
  return /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(value)
}
