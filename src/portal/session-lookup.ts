import { sha256 } from '../lib/digest.ts'
import { parseCookies } from './cookies.ts'
import type { BrowserSession, SessionStore } from './session-store.ts'

export type SessionLookup =
  | { readonly kind: 'none' }
  /** A cookie came, but its session ended (expired, idle, or signed out). */
  | { readonly kind: 'expired' }
  | { readonly kind: 'active'; readonly session: BrowserSession }

export interface SessionTiming {
  /** Idle limit in seconds; default 1 hour. */
  readonly idleSeconds?: number
  readonly clock?: () => number
}

const TOUCH_EVERY_MS = 60_000

/**
 * The session a `Cookie` header names, shared by the login block and the gateway's session
 * scheme. An idle session is deleted when found; activity is written at most once a minute.
 */
export async function lookupSession(
  store: SessionStore,
  cookieName: string,
  cookieHeader: string | readonly string[] | undefined,
  timing: SessionTiming = {},
): Promise<SessionLookup> {
  const value = parseCookies(cookieHeader).get(cookieName)
  if (value === undefined || value === '') return { kind: 'none' }
  const now = (timing.clock ?? Date.now)()
  const key = sha256(value, 'base64url')
  const session = await store.getSession(key, now)
  if (session === undefined) return { kind: 'expired' }
  if (now - session.lastSeenAt > (timing.idleSeconds ?? 3600) * 1000) {
    await store.deleteSession(key)
    return { kind: 'expired' }
  }
  if (now - session.lastSeenAt < TOUCH_EVERY_MS) return { kind: 'active', session }
  await store.updateSession(key, now, session.data)
  return { kind: 'active', session: { ...session, lastSeenAt: now } }
}
