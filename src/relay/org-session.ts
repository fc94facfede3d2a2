// The relay's own access token for an org: the client credentials flow against the org's token
// endpoint with a connected app whose Run-As user may read the events, or the JWT bearer flow
// (RFC 7523) for a named integration user with an assertion signed by the key of the app's
// certificate. The token is kept until the org refuses it (Salesforce's tokens carry no
// expiry); then a new one is fetched.

import { jwtBearerAssertion } from './jwt-bearer-assertion.ts'
import type { PubSubAuth } from './pubsub-client.ts'
import type { OrgGrant } from './relay-plan.ts'

export interface OrgSessionOptions {
  /** The org's My Domain (or login) URL. */
  readonly issuer: string
  readonly clientId: string
  readonly grant: OrgGrant
  /** The expected org id; without it, read from the token response's identity URL. */
  readonly orgId?: string
  readonly timeoutMs: number
  readonly fetch?: typeof fetch
  readonly clock?: () => number
}

export class OrgTokenError extends Error {
  override name = 'OrgTokenError'
}

export class OrgSession {
  readonly #options: OrgSessionOptions
  #current: Promise<PubSubAuth> | undefined

  constructor(options: OrgSessionOptions) {
    this.#options = options
  }

  /** The current credentials, fetching them once for concurrent callers. */
  auth(): Promise<PubSubAuth> {
    if (this.#current === undefined) {
      const pending = this.#fetchToken()
      this.#current = pending
      // A failed fetch is not kept: the next call tries again.
      pending.catch(() => {
        if (this.#current === pending) this.#current = undefined
      })
    }
    return this.#current
  }

  /** The org refused the token: the next auth() fetches another. */
  invalidate(): void {
    this.#current = undefined
  }

  #grantForm(): URLSearchParams {
    const o = this.#options
    if (o.grant.kind === 'client_credentials')
      return new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: o.clientId,
        client_secret: o.grant.clientSecret,
      })
    const assertion = jwtBearerAssertion({
      clientId: o.clientId,
      username: o.grant.username,
      audience: o.grant.audience,
      privateKey: o.grant.privateKey,
      now: (o.clock ?? Date.now)(),
    })
    return new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion })
  }

  async #fetchToken(): Promise<PubSubAuth> {
    const o = this.#options
    const doFetch = o.fetch ?? fetch
    let res: Response
    try {
      res = await doFetch(`${o.issuer}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: this.#grantForm(),
        signal: AbortSignal.timeout(o.timeoutMs),
      })
    } catch (err) {
      throw new OrgTokenError(`token request to ${o.issuer} failed: ${(err as Error).message}`)
    }
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>
    if (res.status !== 200 || typeof body.access_token !== 'string') {
      const why =
        typeof body.error === 'string' ? `${body.error}: ${String(body.error_description ?? '')}` : ''
      throw new OrgTokenError(`token request to ${o.issuer} answered ${res.status} ${why}`.trim())
    }
    const fromId =
      typeof body.id === 'string' ? /\/id\/(00D[A-Za-z0-9]{12,15})\//.exec(body.id)?.[1] : undefined
    const tenantId = o.orgId ?? fromId
    if (tenantId === undefined) throw new OrgTokenError('the token response names no org id; set orgId')
    return {
      accessToken: body.access_token,
      instanceUrl: typeof body.instance_url === 'string' ? body.instance_url : o.issuer,
      tenantId,
    }
  }
}
