import { createHmac } from 'node:crypto'

/** Salesforce's token endpoint answer. It never carries `expires_in`. */
export type SalesforceTokenResponse = {
  access_token: string
  refresh_token?: string
  signature?: string
  scope?: string
  id_token?: string
  instance_url: string
  id: string
  token_type: 'Bearer'
  issued_at?: string
}

/** Base64 HMAC-SHA256 of `id + issued_at`, keyed with the client secret. */
export function tokenSignature(clientSecret: string, identityUrl: string, issuedAt: string): string {
  return createHmac('sha256', clientSecret)
    .update(identityUrl + issuedAt)
    .digest('base64')
}

export type TokenResponseInput = {
  accessToken: string
  refreshToken?: string | undefined
  idToken?: string | undefined
  scope?: string | undefined
  instanceUrl: string
  identityUrl: string
  /** Absent for grants that Salesforce answers without `issued_at`/`signature` (JWT bearer). */
  signing?: { clientSecret: string; issuedAtMs: number } | undefined
}

export function buildTokenResponse(input: TokenResponseInput): SalesforceTokenResponse {
  const out: SalesforceTokenResponse = {
    access_token: input.accessToken,
    instance_url: input.instanceUrl,
    id: input.identityUrl,
    token_type: 'Bearer',
  }
  if (input.refreshToken) out.refresh_token = input.refreshToken
  if (input.signing) {
    out.issued_at = String(input.signing.issuedAtMs)
    out.signature = tokenSignature(input.signing.clientSecret, input.identityUrl, out.issued_at)
  }
  if (input.scope) out.scope = input.scope
  if (input.idToken) out.id_token = input.idToken
  return out
}
