import { GatewayError } from '../errors/gateway-error.ts'
import type { GatewayRequest } from '../http/gateway-request.ts'
import { sha256 } from '../lib/digest.ts'
import { lookupSession, type SessionTiming } from './session-lookup.ts'
import type { SessionStore } from './session-store.ts'

/**
 * A route of an API document guarded by a browser session instead of a bearer token: the
 * gateway's pipeline calls `authorize` like any other route auth (the shape is its `RouteAuth`,
 * restated here because the portal layer does not import the pipeline). The identity reaches
 * the integration in `requestContext.authorizer` as the Salesforce authorizer's does:
 * `principalId` is the Salesforce user id, beside `userId`, `orgId` and `username`. Refusals
 * are the gateway's own JSON 401/403 (no redirect: these are APIs, not pages).
 */

export interface SessionAuthOutcome {
  readonly principalId: string | undefined
  readonly authorizerContext: Readonly<Record<string, unknown>> | undefined
  readonly identityHeaders: readonly (readonly [string, string])[]
  readonly usageIdentifierKey: string | undefined
}

export interface SessionRouteAuth {
  readonly description: string
  readonly trustedHeaderNames: ReadonlySet<string>
  authorize(
    view: { readonly request: GatewayRequest },
    explain?: (step: Readonly<Record<string, unknown>>) => void,
  ): Promise<SessionAuthOutcome>
}

export interface SessionRouteAuthOptions extends SessionTiming {
  /**
   * Origins allowed to send state-changing requests (the site's public origin). A POST, PUT,
   * PATCH or DELETE whose `Origin` is another, or that a browser marks `Sec-Fetch-Site:
   * cross-site`, is refused with 403 even with a valid cookie: SameSite=Lax does not stop a
   * sibling subdomain, which counts as the same site.
   */
  readonly origins?: readonly string[]
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Where a session's Salesforce access token is kept (sealed with the session) for identity facts. */
export const SESSION_ACCESS_TOKEN = 'salesforceAccessToken'

/** What authorization by identity may use of a session: never part of the outcome, so never logged. */
export interface SessionCredential {
  readonly userId: string
  readonly orgId: string
  readonly issuer: string
  readonly accessToken: string | undefined
  readonly idToken: string | undefined
  readonly expiresAt: number
}

const credentials = new WeakMap<SessionAuthOutcome, SessionCredential>()

/** The credential behind an outcome this module produced, for authorization by identity. */
export function sessionCredentialOf(outcome: unknown): SessionCredential | undefined {
  return typeof outcome === 'object' && outcome !== null
    ? credentials.get(outcome as SessionAuthOutcome)
    : undefined
}

export function sessionRouteAuth(
  sessions: SessionStore,
  cookieName: string,
  options: SessionRouteAuthOptions = {},
): SessionRouteAuth {
  const origins = options.origins === undefined ? undefined : new Set(options.origins)
  return {
    description: `browser session (cookie ${cookieName})`,
    trustedHeaderNames: new Set(),
    async authorize(view, explain) {
      const req = view.request
      const found = await lookupSession(sessions, cookieName, req.headers.get('cookie'), options)
      if (found.kind !== 'active') {
        explain?.({
          step: 'authorizer',
          authorizerId: 'session',
          outcome: 'refused',
          reason: `session.${found.kind}`,
        })
        throw new GatewayError(found.kind === 'none' ? 'GW_IDENTITY_MISSING' : 'GW_TOKEN_INVALID', {
          reason: `session.${found.kind}`,
        })
      }
      if (!SAFE_METHODS.has(req.method) && crossOrigin(req, origins)) {
        explain?.({
          step: 'authorizer',
          authorizerId: 'session',
          outcome: 'refused',
          reason: 'session.cross_origin',
        })
        throw new GatewayError('GW_FORBIDDEN', { reason: 'session.cross_origin' })
      }
      const s = found.session
      explain?.({
        step: 'authorizer',
        authorizerId: 'session',
        outcome: 'allow',
        session: sha256(s.key, 'base64url').slice(0, 12),
        principalId: s.userId,
      })
      const outcome: SessionAuthOutcome = {
        principalId: s.userId,
        authorizerContext: Object.freeze({
          principalId: s.userId,
          userId: s.userId,
          orgId: s.orgId,
          username: s.username,
        }),
        identityHeaders: [],
        usageIdentifierKey: undefined,
      }
      credentials.set(outcome, {
        userId: s.userId,
        orgId: s.orgId,
        issuer: s.issuer,
        accessToken: s.data[SESSION_ACCESS_TOKEN],
        idToken: s.idToken,
        expiresAt: s.expiresAt,
      })
      return outcome
    },
  }
}

function crossOrigin(req: GatewayRequest, origins: ReadonlySet<string> | undefined): boolean {
  const site = req.headers.get('sec-fetch-site')?.at(-1)
  if (site === 'cross-site') return true
  const origin = req.headers.get('origin')?.at(-1)
  if (origin === undefined) return site !== undefined && site !== 'same-origin' && site !== 'none'
  return origins !== undefined && !origins.has(origin)
}
