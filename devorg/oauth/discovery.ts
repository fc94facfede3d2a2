import type { OrgUrls } from './org-urls.ts'

/**
 * Salesforce's discovery document. Faithful to its gaps: no `code_challenge_methods_supported`
 * and no `grant_types_supported`, although PKCE (S256) works.
 */
export function discoveryDocument(
  urls: OrgUrls,
  scopes: readonly string[],
  registration: boolean,
): Record<string, unknown> {
  const b = urls.base
  const doc: Record<string, unknown> = {
    issuer: b,
    authorization_endpoint: `${b}/services/oauth2/authorize`,
    token_endpoint: `${b}/services/oauth2/token`,
    revocation_endpoint: `${b}/services/oauth2/revoke`,
    userinfo_endpoint: `${b}/services/oauth2/userinfo`,
    jwks_uri: `${b}/id/keys`,
    introspection_endpoint: `${b}/services/oauth2/introspect`,
    end_session_endpoint: `${b}/services/auth/idp/oidc/logout`,
    frontchannel_logout_supported: true,
    frontchannel_logout_session_supported: false,
    scopes_supported: [...scopes],
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    display_values_supported: ['page', 'popup', 'touch'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    claims_supported: [
      'active',
      'address',
      'email',
      'email_verified',
      'family_name',
      'given_name',
      'is_app_installed',
      'language',
      'locale',
      'name',
      'nickname',
      'organization_id',
      'phone_number',
      'phone_number_verified',
      'photos',
      'picture',
      'preferred_username',
      'profile',
      'sub',
      'updated_at',
      'urls',
      'user_id',
      'user_type',
      'zoneinfo',
    ],
  }
  if (registration) doc.registration_endpoint = `${b}/services/oauth2/register`
  return doc
}

export const STANDARD_SCOPES = [
  'api',
  'refresh_token',
  'offline_access',
  'openid',
  'profile',
  'email',
  'address',
  'phone',
  'id',
  'web',
  'full',
  'visualforce',
  'lightning',
  'content',
  'chatter_api',
  'custom_permissions',
] as const
