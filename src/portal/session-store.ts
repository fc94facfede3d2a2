/**
 * Where browser sessions and in-flight logins live, server side. The browser holds only a
 * random cookie value; the store is keyed by its SHA-256 (`sessionKey`), so a leaked store
 * does not hand out usable cookies. Methods are async and speak plain records so that a
 * Redis store can implement the same interface (GET/SET with PX, GETDEL for single use).
 */

export interface BrowserSession {
  /** `sessionKey(cookie value)`; never the cookie value itself. */
  readonly key: string
  /** Salesforce user id (`005…`). */
  readonly userId: string
  /** Salesforce org id (`00D…`). */
  readonly orgId: string
  readonly username: string
  readonly displayName: string
  readonly issuer: string
  /** Sent back as `id_token_hint` when the session ends at Salesforce. */
  readonly idToken: string | undefined
  /** Compared with the token every state-changing form carries. */
  readonly csrfToken: string
  /** Milliseconds since the epoch. */
  readonly createdAt: number
  /** Absolute end, whatever the activity. */
  readonly expiresAt: number
  /** Refreshed on use (at most once a minute); the idle limit counts from here. */
  readonly lastSeenAt: number
  /** Small values a page keeps between requests (e.g. a "try it" token); never rendered whole. */
  readonly data: Readonly<Record<string, string>>
}

/** One authorization request in flight, until its callback arrives (single use). */
export interface LoginTransaction {
  readonly state: string
  readonly nonce: string
  readonly codeVerifier: string
  /** SHA-256 of the login cookie of the browser that started it (login CSRF defence). */
  readonly binding: string
  /** Where to go afterwards: always a path on this origin. */
  readonly returnTo: string
  /** `login` for signing in; other values belong to pages that run their own code flow. */
  readonly purpose: string
  readonly data: Readonly<Record<string, string>>
  readonly expiresAt: number
}

export interface SessionStore {
  /** Undefined when absent or past `expiresAt` at `now`. */
  getSession(key: string, now: number): Promise<BrowserSession | undefined>
  putSession(session: BrowserSession): Promise<void>
  /** Updates `lastSeenAt` and `data`; false when the session is gone. */
  updateSession(key: string, lastSeenAt: number, data: Readonly<Record<string, string>>): Promise<boolean>
  deleteSession(key: string): Promise<void>
  putTransaction(tx: LoginTransaction): Promise<void>
  /** Returns and removes in one step, so a replayed callback finds nothing. */
  takeTransaction(state: string, now: number): Promise<LoginTransaction | undefined>
  /** Removes what has expired; returns how many records went. */
  sweep(now: number): Promise<number>
  close(): Promise<void>
}
