import type { IncomingMessage, ServerResponse } from 'node:http'
import { parseForm, readBody, sendJson } from '../http/body.ts'
import { type LookupDeps, resolveAccessToken } from './access-token-lookup.ts'
import { deleteGrant, deleteStoredToken, findStoredToken, JWT_RECORD_MODEL } from './token-records.ts'

/**
 * Revoking an access token ends that session only; revoking a refresh token ends its grant,
 * and with it every access token minted from it. Unknown tokens answer 400 invalid_token.
 */
export async function handleRevocation(
  deps: LookupDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  let token = url.searchParams.get('token')
  if (req.method === 'POST') token = parseForm(await readBody(req)).get('token') ?? token
  else if (req.method !== 'GET')
    return sendJson(res, 405, { error: 'invalid_request', error_description: 'bad method' })
  if (!token) return sendJson(res, 400, { error: 'invalid_request', error_description: 'token is missing' })

  const refresh = findStoredToken(deps.db, 'RefreshToken', token, deps.now())
  if (refresh) {
    if (refresh.grantId) deleteGrant(deps.db, refresh.grantId)
    deleteStoredToken(deps.db, 'RefreshToken', token)
    return done(res)
  }
  const access = resolveAccessToken(deps, token)
  if (access) {
    deleteStoredToken(deps.db, access.format === 'jwt' ? JWT_RECORD_MODEL : 'AccessToken', access.token.jti)
    return done(res)
  }
  sendJson(res, 400, { error: 'invalid_token', error_description: 'invalid token' })
}

function done(res: ServerResponse): void {
  res.writeHead(200, { 'cache-control': 'no-store', 'content-length': '0' })
  res.end()
}
