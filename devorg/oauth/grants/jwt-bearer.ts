import { createPublicKey, X509Certificate } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { decodeJwt, errors as joseErrors, jwtVerify } from 'jose'
import type Provider from 'oidc-provider'
import { sendJson } from '../../http/body.ts'
import type { ProviderDeps } from '../resource-server.ts'
import { resourceServerFor } from '../resource-server.ts'
import { buildTokenResponse } from '../token-response.ts'
import { issueUserAccessToken, nonInteractiveScopes } from './issue-access-token.ts'

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

type Failure = { error: string; error_description: string }
const fail = (error: string, error_description: string): Failure => ({ error, error_description })

function certificateKey(pem: string) {
  return pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem)
}

/**
 * The JWT bearer grant. The assertion is the client's only credential (no client secret),
 * which is why this grant is served beside oidc-provider rather than through it.
 */
export async function handleJwtBearer(
  provider: Provider,
  deps: ProviderDeps,
  form: URLSearchParams,
  res: ServerResponse,
): Promise<void> {
  const result = await exchange(provider, deps, form.get('assertion') ?? '')
  if ('error' in result) return sendJson(res, 400, result)
  sendJson(res, 200, result)
}

async function exchange(provider: Provider, deps: ProviderDeps, assertion: string) {
  let claims: ReturnType<typeof decodeJwt>
  try {
    claims = decodeJwt(assertion)
  } catch {
    return fail('invalid_grant', 'invalid assertion')
  }
  const client = typeof claims.iss === 'string' ? await provider.Client.find(claims.iss) : undefined
  if (!client) return fail('invalid_client_id', 'client identifier invalid')
  const certificate = deps.directory.settings(client.clientId).certificate
  if (!certificate) return fail('invalid_grant', 'invalid assertion')
  try {
    // A far-future `exp` (some clients send milliseconds) is tolerated; a past one is not.
    const key = certificateKey(certificate)
    await jwtVerify(assertion, key, {
      algorithms: ['RS256'],
      audience: ['https://login.salesforce.com', 'https://test.salesforce.com', deps.urls.base],
      requiredClaims: ['exp', 'sub'],
      clockTolerance: 180,
      currentDate: new Date(deps.now()),
    })
  } catch (error) {
    if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'aud') {
      return fail('invalid_grant', 'audience is invalid')
    }
    if (error instanceof joseErrors.JWTExpired) return fail('invalid_grant', 'expired authorization code')
    return fail('invalid_grant', 'invalid assertion')
  }
  const user = typeof claims.sub === 'string' ? deps.directory.userByName(claims.sub) : undefined
  if (!user) return fail('invalid_grant', 'invalid assertion')
  if (!user.active) return fail('inactive_user', 'user is inactive')
  const issued = await issueUserAccessToken(provider, {
    client,
    accountId: user.id,
    scope: nonInteractiveScopes(client.scope, ['refresh_token', 'offline_access']),
    gty: JWT_BEARER,
    resource: deps.urls.base,
    resourceServer: resourceServerFor(deps, client.clientId, client.scope),
  })
  // Salesforce answers this grant without refresh_token, issued_at or signature.
  return buildTokenResponse({
    accessToken: issued.value,
    scope: issued.scope,
    instanceUrl: deps.urls.base,
    identityUrl: deps.urls.identity(user.id),
  })
}
