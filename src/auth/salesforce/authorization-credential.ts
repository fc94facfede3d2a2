import { credentialMalformed, identityMissing, tokenRejected } from './salesforce-failure.ts'

/** `Bearer` (RFC 6750) and `OAuth`, the scheme Salesforce's own clients send (salesforce.md 13.4). */
export type CredentialScheme = 'bearer' | 'oauth'

export interface Credential {
  readonly scheme: CredentialScheme
  readonly token: string
}

export const MAX_TOKEN_LENGTH = 8192

// RFC 6750 b64token, plus `!`, which separates the org id from the secret in session IDs.
const TOKEN_SYNTAX = /^[A-Za-z0-9\-._~+/!]+=*$/
const SCHEME_AND_TOKEN = /^([A-Za-z]+)(?: +(.*))?$/s

/**
 * Reads the request's `Authorization` header values (every occurrence, as received).
 * No header is 401 with a bare challenge; anything that is not exactly one credential in a
 * known scheme is 400 `invalid_request` (RFC 6750 §3.1); an oversized token is 401.
 */
export function parseAuthorizationCredential(values: readonly string[] | undefined): Credential {
  if (values === undefined || values.length === 0) throw identityMissing()
  if (values.length > 1) {
    throw credentialMalformed('sf.credential_duplicate', 'more than one Authorization header')
  }
  const value = (values[0] ?? '').replace(/^[ \t]+|[ \t]+$/g, '')
  if (value === '') throw credentialMalformed('sf.credential_empty', 'empty Authorization header')
  const match = SCHEME_AND_TOKEN.exec(value)
  const scheme = match?.[1]?.toLowerCase()
  if (scheme !== 'bearer' && scheme !== 'oauth') {
    throw credentialMalformed('sf.credential_scheme', 'scheme is neither Bearer nor OAuth')
  }
  const token = match?.[2] ?? ''
  if (token === '') throw credentialMalformed('sf.credential_empty', 'scheme without a token')
  if (token.length > MAX_TOKEN_LENGTH) throw tokenRejected('sf.token_too_large')
  if (!TOKEN_SYNTAX.test(token)) throw credentialMalformed('sf.credential_syntax', 'token is not a b64token')
  return { scheme, token }
}
