// The assertion of Salesforce's OAuth 2.0 JWT bearer flow (RFC 7523): RS256, `iss` the connected
// app's client id, `sub` the username, `aud` the login host (or the My Domain URL), and an `exp`
// a few minutes ahead (Salesforce refuses one further than five minutes off). A fresh one per
// token request: an assertion is not reused.

import { createPrivateKey, sign } from 'node:crypto'

export interface AssertionInput {
  readonly clientId: string
  readonly username: string
  readonly audience: string
  /** PEM private key matching the certificate uploaded to the connected app. */
  readonly privateKey: string
  /** Epoch ms. */
  readonly now: number
}

const LIFETIME_S = 180

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

export function jwtBearerAssertion(input: AssertionInput): string {
  const claims = {
    iss: input.clientId,
    sub: input.username,
    aud: input.audience,
    exp: Math.floor(input.now / 1000) + LIFETIME_S,
  }
  const signingInput = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(claims)}`
  const signature = sign('sha256', Buffer.from(signingInput), createPrivateKey(input.privateKey))
  return `${signingInput}.${signature.toString('base64url')}`
}
