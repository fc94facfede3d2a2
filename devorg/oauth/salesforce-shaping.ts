import type { DatabaseSync } from 'node:sqlite'
import type Provider from 'oidc-provider'
import type { KoaContextWithOIDC } from 'oidc-provider'
import { writeSetting } from '../store/database.ts'
import { salesforceTokenError } from './oauth-errors.ts'
import type { OrgUrls } from './org-urls.ts'
import { REGISTERED_CLIENT_SCOPES } from './resource-server.ts'
import { buildTokenResponse } from './token-response.ts'

type Deps = { db: DatabaseSync; urls: OrgUrls; now: () => number; registrar: string | undefined }
type Body = Record<string, unknown>

/**
 * Turns oidc-provider's answers into Salesforce's at the edge: token responses (no
 * `expires_in`; `issued_at`, `signature`, `instance_url`, `id`), token errors (always 400,
 * Salesforce codes) and registration responses (`scopes` array).
 */
export function installSalesforceShaping(provider: Provider, deps: Deps): void {
  const details = new WeakMap<object, string | undefined>()
  provider.on('grant.error', (ctx: KoaContextWithOIDC, err) => {
    details.set(ctx, (err as { error_detail?: string }).error_detail)
  })
  provider.on('registration_create.success', (_ctx: KoaContextWithOIDC, client: { clientId: string }) => {
    if (deps.registrar) writeSetting(deps.db, `registrar:${client.clientId}`, deps.registrar)
  })

  provider.use(async (koaCtx, next) => {
    const ctx = koaCtx as KoaContextWithOIDC
    if (ctx.path === '/services/oauth2/authorize') await defaultScope(provider, ctx)
    await next()
    if (ctx.path === '/services/oauth2/token' && ctx.method === 'POST')
      shapeToken(ctx, deps, details.get(ctx))
    else if (ctx.path.startsWith('/services/oauth2/register') && ctx.status < 300 && isObject(ctx.body)) {
      shapeRegistration(ctx.body)
    }
  })
}

/** Salesforce grants all of the app's scopes when the authorization request names none. */
async function defaultScope(provider: Provider, ctx: KoaContextWithOIDC): Promise<void> {
  const { client_id: clientId, scope } = ctx.query
  if (scope !== undefined || typeof clientId !== 'string') return
  const client = await provider.Client.find(clientId)
  if (client?.scope) ctx.query = { ...ctx.query, scope: client.scope }
}

function isObject(v: unknown): v is Body {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v)
}

function shapeToken(ctx: KoaContextWithOIDC, deps: Deps, detail: string | undefined): void {
  const body = ctx.body
  if (!isObject(body)) return
  const params = (ctx.oidc?.params ?? {}) as Record<string, unknown>
  const grantType = typeof params.grant_type === 'string' ? params.grant_type : undefined
  if (typeof body.error === 'string') {
    ctx.status = 400
    ctx.remove('www-authenticate')
    ctx.body = salesforceTokenError({
      grantType,
      error: body.error,
      description: typeof body.error_description === 'string' ? body.error_description : undefined,
      detail,
      clientKnown: detail !== 'client not found',
    })
    return
  }
  if (typeof body.access_token !== 'string') return
  const accountId =
    (ctx.oidc?.entities.AccessToken as { accountId?: string } | undefined)?.accountId ??
    (typeof body.account_id === 'string' ? body.account_id : undefined)
  const client = ctx.oidc?.client as { clientSecret?: string } | undefined
  if (!accountId) return
  // Without rotation Salesforce answers a refresh with a new access token only.
  const refreshToken =
    typeof body.refresh_token === 'string' && body.refresh_token !== params.refresh_token
      ? body.refresh_token
      : undefined
  ctx.body = buildTokenResponse({
    accessToken: body.access_token,
    refreshToken,
    idToken: typeof body.id_token === 'string' ? body.id_token : undefined,
    scope: typeof body.scope === 'string' ? body.scope : undefined,
    instanceUrl: deps.urls.base,
    identityUrl: deps.urls.identity(accountId),
    signing: client?.clientSecret ? { clientSecret: client.clientSecret, issuedAtMs: deps.now() } : undefined,
  })
}

function shapeRegistration(body: Body): void {
  const scope = typeof body.scope === 'string' ? body.scope : REGISTERED_CLIENT_SCOPES
  body.scopes = scope.split(' ').filter(Boolean)
  body.client_secret_expires_at ??= 0
}
