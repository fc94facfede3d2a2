import type { IncomingMessage, ServerResponse } from 'node:http'
import type Provider from 'oidc-provider'
import { basicCredentials, parseForm, readBody, sendJson } from '../http/body.ts'
import { readSetting } from '../store/database.ts'
import { type LookupDeps, resolveAccessToken } from './access-token-lookup.ts'
import type { OrgUrls } from './org-urls.ts'
import { findStoredToken, type StoredToken } from './token-records.ts'

/**
 * Salesforce's visibility rule: an app sees its own tokens, the tokens of apps it created by
 * dynamic registration, or every token when it is the org's "introspect all" app.
 */
export function mayIntrospect(args: {
  callerId: string
  callerIntrospectsAll: boolean
  tokenClientId: string
  tokenClientRegistrar: string | undefined
}): boolean {
  return (
    args.callerIntrospectsAll ||
    args.callerId === args.tokenClientId ||
    args.tokenClientRegistrar === args.callerId
  )
}

export type IntrospectionAnswer =
  | { active: false }
  | {
      active: true
      scope: string
      client_id: string
      username: string
      sub: string
      token_type: 'access_token' | 'refresh_token'
      exp?: number
      iat: number
      nbf: number
    }

export function introspectionAnswer(
  token: StoredToken,
  username: string,
  urls: OrgUrls,
): IntrospectionAnswer {
  const out: IntrospectionAnswer = {
    active: true,
    scope: token.scope ?? '',
    client_id: token.clientId,
    username,
    sub: urls.identity(token.accountId),
    token_type: token.kind === 'RefreshToken' ? 'refresh_token' : 'access_token',
    iat: token.iat,
    nbf: token.iat,
  }
  if (token.exp !== undefined) out.exp = token.exp
  return out
}

type Deps = LookupDeps & { provider: Provider; urls: OrgUrls }

export async function handleIntrospection(
  deps: Deps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== 'POST')
    return sendJson(res, 405, { error: 'invalid_request', error_description: 'POST required' })
  const form = parseForm(await readBody(req))
  const basic = basicCredentials(req)
  const callerId = basic?.id ?? form.get('client_id') ?? ''
  const secret = basic?.secret ?? form.get('client_secret') ?? ''
  const caller = callerId ? await deps.provider.Client.find(callerId) : undefined
  if (!caller || !secret || !(await caller.compareClientSecret(secret))) {
    return sendJson(res, 401, { error: 'invalid_client', error_description: 'invalid client credentials' })
  }
  const value = form.get('token') ?? ''
  const found = findToken(deps, value, form.get('token_type_hint'))
  if (!found) return sendJson(res, 200, { active: false })
  const visible = mayIntrospect({
    callerId,
    callerIntrospectsAll: deps.directory.settings(callerId).introspectAll,
    tokenClientId: found.token.clientId,
    tokenClientRegistrar: readSetting(deps.db, `registrar:${found.token.clientId}`),
  })
  if (!visible) return sendJson(res, 200, { active: false })
  sendJson(res, 200, introspectionAnswer(found.token, found.username, deps.urls))
}

function findToken(
  deps: Deps,
  value: string,
  hint: string | null,
): { token: StoredToken; username: string } | null {
  if (!value) return null
  const tryRefresh = () => {
    const token = findStoredToken(deps.db, 'RefreshToken', value, deps.now())
    const user = token ? deps.directory.userById(token.accountId) : undefined
    return token && user?.active ? { token, username: user.username } : null
  }
  const tryAccess = () => {
    const resolved = resolveAccessToken(deps, value)
    return resolved ? { token: resolved.token, username: resolved.user.username } : null
  }
  return hint === 'refresh_token' ? (tryRefresh() ?? tryAccess()) : (tryAccess() ?? tryRefresh())
}
