// Salesforce's token-endpoint vocabulary differs from oidc-provider's; the mapping lives here
// so that every grant answers with the same codes and texts.

export type OAuthErrorBody = { error: string; error_description: string }

export type ErrorContext = {
  grantType: string | undefined
  error: string
  description: string | undefined
  /** oidc-provider's internal detail (never sent as is). */
  detail: string | undefined
  clientKnown: boolean
}

export function salesforceTokenError(c: ErrorContext): OAuthErrorBody {
  const detail = `${c.description ?? ''} ${c.detail ?? ''}`.toLowerCase()
  switch (c.error) {
    case 'invalid_client':
      return c.clientKnown
        ? { error: 'invalid_client', error_description: 'invalid client credentials' }
        : { error: 'invalid_client_id', error_description: 'client identifier invalid' }
    case 'unsupported_grant_type':
      return { error: 'unsupported_grant_type', error_description: 'grant type not supported' }
    case 'invalid_scope':
      return { error: 'invalid_scope', error_description: 'the requested scope is not allowed' }
    case 'invalid_grant':
      return invalidGrant(c.grantType, detail, c.detail ?? c.description)
    case 'invalid_request':
      if (detail.includes('grant_type'))
        return { error: 'invalid_request', error_description: 'grant type is missing' }
      if (detail.includes('not allowed for this client')) return grantNotAllowed(c.grantType)
      return { error: 'invalid_request', error_description: c.description ?? 'invalid request' }
    default:
      return { error: c.error, error_description: c.description ?? c.error }
  }
}

function invalidGrant(
  grantType: string | undefined,
  detail: string,
  raw: string | undefined,
): OAuthErrorBody {
  switch (grantType) {
    case 'authorization_code':
      if (detail.includes('pkce') || detail.includes('code_verifier')) {
        return { error: 'invalid_grant', error_description: 'invalid code verifier' }
      }
      if (detail.includes('expired'))
        return { error: 'invalid_grant', error_description: 'expired authorization code' }
      if (detail.includes('redirect_uri')) {
        return { error: 'redirect_uri_mismatch', error_description: 'redirect_uri must match configuration' }
      }
      return { error: 'invalid_grant', error_description: 'invalid authorization code' }
    case 'refresh_token':
      return { error: 'invalid_grant', error_description: 'expired access/refresh token' }
    case 'password':
      return { error: 'invalid_grant', error_description: 'authentication failure' }
    default:
      return { error: 'invalid_grant', error_description: raw ?? 'invalid grant' }
  }
}

function grantNotAllowed(grantType: string | undefined): OAuthErrorBody {
  if (grantType === 'client_credentials') {
    return { error: 'invalid_grant', error_description: 'no client credentials user enabled' }
  }
  if (grantType === 'password') return { error: 'invalid_grant', error_description: 'authentication failure' }
  return { error: 'unsupported_grant_type', error_description: 'grant type not supported' }
}
