import type { IncomingMessage } from 'node:http'
import { sha256 } from '../lib/digest.ts'
import { type CookiePolicy, cookiePolicyFor } from './cookie-policy.ts'
import { parseCookies, serializeCookie } from './cookies.ts'
import { type ClientCredentials, LoginError, type OrgClient } from './org-client.ts'
import { type ReturnToScope, safeReturnTo } from './return-to.ts'
import { randomToken } from './secrets.ts'
import { identityFromClaims } from './session-identity.ts'
import { lookupSession, type SessionLookup } from './session-lookup.ts'
import { SESSION_ACCESS_TOKEN } from './session-route-auth.ts'
import type { BrowserSession, LoginTransaction, SessionStore } from './session-store.ts'

/**
 * Sign in with Salesforce for any site the gateway serves: the building block under the
 * developer portal. It starts code flows (PKCE S256, `state`, `nonce`, bound to the browser),
 * completes them (through `OrgClient`'s checks), issues a fresh server-side session at every
 * login, finds the session of a request, and ends it locally and at Salesforce. It writes no
 * pages: callers get redirects (location + cookies) or a `LoginError` to render.
 */

export interface BrowserLoginOptions {
  readonly org: OrgClient
  readonly sessions: SessionStore
  /** Configured origin of the site (never taken from `Host`). */
  readonly publicOrigin: string
  /** Prefix of the login routes: `{basePath}/callback` is the registered redirect URI. */
  readonly basePath: string
  /** Default `openid profile email`. */
  readonly scope?: string
  /** Absolute session lifetime; default 8 hours. */
  readonly sessionSeconds?: number
  /** Idle limit; default 1 hour. */
  readonly idleSeconds?: number
  /** Lifetime of an unfinished login; default 10 minutes. */
  readonly loginSeconds?: number
  readonly clock?: () => number
}

/** A 303 to send: where, and which `Set-Cookie` values go with it. */
export interface Redirect {
  readonly location: string
  readonly cookies: readonly string[]
}

export interface CodeFlowStart {
  readonly purpose: string
  readonly returnTo: string
  readonly redirectUri: string
  readonly scope: string
  readonly data?: Readonly<Record<string, string>>
  readonly as?: ClientCredentials
}

/** How a callback is checked: the flow it must belong to and the client that exchanges the code. */
export interface FlowCompletion {
  readonly purpose: string
  /** Exactly the URI the flow was started with. */
  readonly redirectUri: string
  readonly as?: (tx: LoginTransaction) => ClientCredentials | undefined
  readonly expectIdToken?: (tx: LoginTransaction) => boolean
}

export interface CompletedFlow {
  readonly transaction: LoginTransaction
  readonly accessToken: string
  readonly idToken: string | undefined
  readonly claims: Readonly<Record<string, unknown>>
}

const SWEEP_EVERY_MS = 600_000

export class BrowserLogin {
  readonly cookies: CookiePolicy
  readonly redirectUri: string
  readonly postLogoutRedirectUri: string
  readonly #o: BrowserLoginOptions
  readonly #clock: () => number
  readonly #returnTo: ReturnToScope
  #sweptAt = 0

  constructor(options: BrowserLoginOptions) {
    this.#o = options
    this.#clock = options.clock ?? Date.now
    this.cookies = cookiePolicyFor(options.publicOrigin)
    const origin = new URL(options.publicOrigin).origin
    this.redirectUri = `${origin}${options.basePath}/callback`
    this.postLogoutRedirectUri = `${origin}${options.basePath}/signed-out`
    this.#returnTo = { origin, basePath: options.basePath, fallback: `${options.basePath}/` }
  }

  /** The redirect to Salesforce's login; `returnTo` becomes a path under the base path of this origin. */
  beginLogin(req: IncomingMessage, returnTo: string | undefined): Promise<Redirect> {
    return this.beginCodeFlow(req, {
      purpose: 'login',
      returnTo: this.safeReturnTo(returnTo),
      redirectUri: this.redirectUri,
      scope: this.#o.scope ?? 'openid profile email',
    })
  }

  /** Any code flow of this site (login, or a page's own, e.g. a partner app's in "try it"). */
  async beginCodeFlow(req: IncomingMessage, start: CodeFlowStart): Promise<Redirect> {
    const now = this.#clock()
    // Expired sessions and abandoned logins are removed here, at most every ten minutes, so
    // the store stays bounded without a timer of its own.
    if (now - this.#sweptAt > SWEEP_EVERY_MS) {
      this.#sweptAt = now
      await this.#o.sessions.sweep(now)
    }
    const existing = parseCookies(req.headers.cookie).get(this.cookies.loginName)
    const binding = existing !== undefined && existing.length >= 32 ? existing : randomToken()
    const lifetime = this.#o.loginSeconds ?? 600
    const tx: LoginTransaction = {
      state: randomToken(),
      nonce: randomToken(),
      codeVerifier: randomToken(), // 43 characters of the unreserved set, as RFC 7636 asks
      binding: sha256(binding, 'base64url'),
      returnTo: start.returnTo,
      purpose: start.purpose,
      data: start.data ?? {},
      expiresAt: now + lifetime * 1000,
    }
    const url = await this.#o.org.authorizationUrl(
      { ...tx, redirectUri: start.redirectUri, scope: start.scope },
      start.as,
    )
    await this.#o.sessions.putTransaction(tx)
    return {
      location: url.href,
      cookies: [
        serializeCookie(this.cookies.loginName, binding, { secure: this.cookies.secure, maxAge: lifetime }),
      ],
    }
  }

  /**
   * Checks that the callback belongs to a login this browser started (single use), then lets
   * the org client validate the response and exchange the code. `redirectUri` is the exact
   * URI the flow was started with.
   */
  async completeCodeFlow(
    req: IncomingMessage,
    query: URLSearchParams,
    flow: FlowCompletion,
  ): Promise<CompletedFlow> {
    const state = query.get('state')
    if (state === null || state === '') throw new LoginError('invalid', 'login.state_missing')
    const tx = await this.#o.sessions.takeTransaction(state, this.#clock())
    if (tx === undefined) throw new LoginError('invalid', 'login.unknown_state')
    const binding = parseCookies(req.headers.cookie).get(this.cookies.loginName)
    if (binding === undefined || sha256(binding, 'base64url') !== tx.binding)
      throw new LoginError('invalid', 'login.browser_mismatch')
    if (tx.purpose !== flow.purpose) throw new LoginError('invalid', 'login.wrong_purpose')
    const callback = new URL(flow.redirectUri)
    callback.search = query.toString()
    const result = await this.#o.org.completeCodeFlow(
      callback,
      tx,
      flow.as?.(tx),
      flow.expectIdToken?.(tx) ?? true,
    )
    return { transaction: tx, ...result }
  }

  /** Completes a `login` flow: a new session (new id, old one discarded) and its cookie. */
  async finishLogin(req: IncomingMessage, query: URLSearchParams): Promise<Redirect> {
    const flow = await this.completeCodeFlow(req, query, { purpose: 'login', redirectUri: this.redirectUri })
    const subject = flow.claims.sub
    if (typeof subject !== 'string') throw new LoginError('invalid', 'oidc.sub_missing')
    const info = await this.#o.org.userinfo(flow.accessToken, subject)
    const identity = identityFromClaims(flow.claims, info)
    if (identity === undefined) throw new LoginError('invalid', 'login.identity_unreadable')
    const now = this.#clock()
    const previous = parseCookies(req.headers.cookie).get(this.cookies.sessionName)
    if (previous !== undefined) await this.#o.sessions.deleteSession(sha256(previous, 'base64url'))
    const cookie = randomToken()
    const lifetime = this.#o.sessionSeconds ?? 8 * 3600
    await this.#o.sessions.putSession({
      key: sha256(cookie, 'base64url'),
      ...identity,
      issuer: this.#o.org.issuer,
      idToken: flow.idToken,
      csrfToken: randomToken(),
      createdAt: now,
      expiresAt: now + lifetime * 1000,
      lastSeenAt: now,
      // Kept sealed with the session: routes that authorize by identity ask the org as the user.
      data: { [SESSION_ACCESS_TOKEN]: flow.accessToken },
    })
    return {
      // Checked again on the way out: the Location header is only ever a normalised local path.
      location: this.safeReturnTo(flow.transaction.returnTo),
      cookies: [serializeCookie(this.cookies.sessionName, cookie, { secure: this.cookies.secure })],
    }
  }

  /** A path under the base path of this origin for any candidate; the base path's home otherwise. */
  safeReturnTo(candidate: string | undefined): string {
    return safeReturnTo(candidate, this.#returnTo)
  }

  /** The session of a request; refreshes its idle clock at most once a minute. */
  lookup(cookieHeader: string | readonly string[] | undefined): Promise<SessionLookup> {
    return lookupSession(this.#o.sessions, this.cookies.sessionName, cookieHeader, {
      clock: this.#clock,
      ...(this.#o.idleSeconds === undefined ? {} : { idleSeconds: this.#o.idleSeconds }),
    })
  }

  /** Keeps a page's small values with the session (e.g. a "try it" token). */
  async saveData(session: BrowserSession, data: Readonly<Record<string, string>>): Promise<void> {
    await this.#o.sessions.updateSession(session.key, this.#clock(), data)
  }

  /**
   * Ends the session here first (server side, cookie expired), then sends the browser to the
   * org's end-session endpoint with `id_token_hint` and the exact post-logout URI. When the org
   * cannot be reached the local session is still over.
   */
  async logout(session: BrowserSession | undefined): Promise<Redirect> {
    if (session !== undefined) await this.#o.sessions.deleteSession(session.key)
    const cookies = [
      serializeCookie(this.cookies.sessionName, '', { secure: this.cookies.secure, maxAge: 0 }),
    ]
    let location = this.postLogoutRedirectUri
    try {
      const url = await this.#o.org.endSessionUrl(session?.idToken, this.postLogoutRedirectUri)
      if (url !== undefined) location = url.href
    } catch {
      location = `${this.postLogoutRedirectUri}?org=unreachable`
    }
    return { location, cookies }
  }
}
