import { type IntrospectionVerdict, readIntrospectionAnswer } from './introspection-answer.ts'
import { callOrg, MAX_ORG_ANSWER_BYTES, OrgCallError } from './org-call.ts'
import type { OrgEndpoints } from './org-endpoints.ts'
import { OrgUnavailableError } from './salesforce-failure.ts'
import type { ResolvedIdentity } from './types.ts'
import { readUserinfoAnswer } from './userinfo-answer.ts'

export interface OrgClientDeps {
  readonly fetch: typeof fetch
  readonly clock: () => number
  readonly timeoutMs: number
}

export interface OrgClient {
  introspect(token: string): Promise<IntrospectionVerdict>
  userinfo(token: string): Promise<ResolvedIdentity>
}

/**
 * The two calls that ask the org about an opaque token. The caller's token goes only to the
 * org that issued it, in the request body (introspection) or as a bearer (UserInfo).
 */
export function createOrgClient(endpoints: OrgEndpoints, deps: OrgClientDeps): OrgClient {
  const limits = { timeoutMs: deps.timeoutMs, maxBytes: MAX_ORG_ANSWER_BYTES }

  async function introspect(token: string): Promise<IntrospectionVerdict> {
    const client = endpoints.introspectionClient
    if (client === undefined) throw new TypeError('no introspection client configured')
    // Client credentials in the body: the form Salesforce documents first (salesforce.md 4.5),
    // and it avoids the form-encoding step of Basic that implementations disagree on.
    const body = new URLSearchParams({
      token,
      token_type_hint: 'access_token',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }).toString()
    const answer = await exchange('sf.introspection_unavailable', endpoints.introspectionUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
    })
    return readIntrospectionAnswer(answer, deps.clock())
  }

  async function userinfo(token: string): Promise<ResolvedIdentity> {
    const answer = await exchange('sf.userinfo_unavailable', endpoints.userinfoUrl, {
      method: 'GET',
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    })
    return readUserinfoAnswer(answer)
  }

  async function exchange(
    reason: 'sf.introspection_unavailable' | 'sf.userinfo_unavailable',
    url: URL,
    init: Parameters<typeof callOrg>[2],
  ) {
    try {
      return await callOrg(deps.fetch, url, init, limits)
    } catch (err) {
      if (err instanceof OrgCallError) throw new OrgUnavailableError(reason, err.message, { cause: err })
      throw err
    }
  }

  return { introspect, userinfo }
}
