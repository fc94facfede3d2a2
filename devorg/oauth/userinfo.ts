import type { IncomingMessage, ServerResponse } from 'node:http'
import { bearerToken, parseForm, readBody, sendJson, sendText } from '../http/body.ts'
import { to18 } from '../ids.ts'
import { identityClaims } from '../seed/user-identity.ts'
import { type LookupDeps, resolveAccessToken } from './access-token-lookup.ts'
import { identityDocument, userinfoDocument } from './identity-documents.ts'
import { type OrgUrls, parseIdentityPath } from './org-urls.ts'

type Deps = LookupDeps & { urls: OrgUrls }

// Both endpoints answer a bad token with 403 and the plain text `Bad_OAuth_Token`, not JSON.
const BAD_TOKEN = 'Bad_OAuth_Token'

function versionParam(url: URL): string | undefined {
  const v = url.searchParams.get('version')
  if (v === null) return undefined
  if (v === 'latest') return '66.0'
  return /^\d{2}\.\d$/.test(v) ? v : undefined
}

async function tokenFrom(req: IncomingMessage, url: URL): Promise<string | undefined> {
  const header = bearerToken(req)
  if (header) return header
  const query = url.searchParams.get('oauth_token') ?? url.searchParams.get('access_token')
  if (query) return query
  if (req.method === 'POST') {
    const form = parseForm(await readBody(req))
    return form.get('oauth_token') ?? form.get('access_token') ?? undefined
  }
  return undefined
}

export async function handleUserinfo(
  deps: Deps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const token = await tokenFrom(req, url)
  const resolved = token ? resolveAccessToken(deps, token) : null
  if (!resolved) return sendText(res, 403, BAD_TOKEN)
  const scopes = new Set((resolved.token.scope ?? '').split(' '))
  const claims = identityClaims(
    deps.directory.seed,
    resolved.token.clientId,
    resolved.user,
    scopes,
    'document',
  )
  sendJson(res, 200, userinfoDocument(deps.urls, resolved.user, versionParam(url), claims))
}

export async function handleIdentity(
  deps: Deps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const ids = parseIdentityPath(url.pathname)
  if (!ids) return sendText(res, 404, 'Bad_Id')
  const token = await tokenFrom(req, url)
  const resolved = token ? resolveAccessToken(deps, token) : null
  if (!resolved) return sendText(res, 403, BAD_TOKEN)
  if (to18(ids.orgId) !== deps.urls.orgId) return sendText(res, 403, 'Bad_Id')
  const target = deps.directory.userById(to18(ids.userId) ?? '')
  if (!target) return sendText(res, 404, 'Bad_Id')
  const own = target.id === resolved.user.id
  const scopes = new Set((resolved.token.scope ?? '').split(' '))
  // Another user's identity needs api or full scope.
  if (!own && !scopes.has('api') && !scopes.has('full')) return sendText(res, 403, 'No_Access')
  const claims = identityClaims(deps.directory.seed, resolved.token.clientId, target, scopes, 'document')
  sendJson(res, 200, identityDocument(deps.urls, target, own, versionParam(url), claims))
}
