import { createHmac, type KeyObject, sign } from 'node:crypto'
import fc from 'fast-check'
import { CLAIM_MUTATIONS } from './jwt-claim-mutations.ts'
import type { CaseKeys, Draft, Mutation } from './jwt-mutation.ts'
import { STRUCTURE_MUTATIONS } from './jwt-structure-mutations.ts'

/**
 * Generated JWTs for the differential test: an ordinary token (issuer, key, times, audience,
 * type varied only where every careful verifier agrees) with at most one mutation on top.
 * Each mutation names what the reference libraries and forcegate are expected to make of it
 * when the libraries, or forcegate, part ways on purpose.
 */

export interface IssuerProfile {
  readonly iss: string
  /** Required `typ`, compared as RFC 7515 §4.1.9 media types. */
  readonly typ?: string
  readonly audience: string
}

export interface TokenProfile {
  readonly issuers: readonly IssuerProfile[]
  readonly algorithms: readonly ('RS256' | 'ES256')[]
  /** Header members every token of this profile carries (Salesforce's `tty`, `tnk`). */
  readonly header: Readonly<Record<string, unknown>>
  readonly claims: Readonly<Record<string, unknown>>
}

export interface TokenCase {
  readonly token: string
  readonly mutation: Mutation
  readonly description: string
}

const MUTATIONS = [...STRUCTURE_MUTATIONS, ...CLAIM_MUTATIONS]

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url')

function signingBytes(input: string, signer: Draft['signer'], keys: CaseKeys): Buffer {
  const data = Buffer.from(input)
  if (signer === 'none') return Buffer.alloc(0)
  if (signer === 'hmac') {
    // The classic confusion: the RSA public key, as PEM, used as an HMAC secret.
    const secret = keys.rsa.publicKey.export({ type: 'spki', format: 'pem' })
    return createHmac('sha256', secret).update(input).digest()
  }
  if (signer === 'rs384') return sign('sha384', data, keys.rsa.privateKey)
  const key: KeyObject = signer.privateKey
  return signer.alg === 'ES256'
    ? sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' })
    : sign('sha256', data, key)
}

function encode(draft: Draft, keys: CaseKeys): string {
  let header = b64(draft.headerText ?? JSON.stringify(draft.header))
  let payload = b64(draft.claimsText ?? JSON.stringify(draft.claims))
  if (draft.segments !== undefined) [header, payload] = draft.segments(header, payload)
  const input = `${header}.${payload}`
  let signature = signingBytes(input, draft.signer, keys).toString('base64url')
  if (draft.signature !== undefined) signature = draft.signature(signature)
  const token = `${input}.${signature}`
  return draft.raw === undefined ? token : draft.raw(token)
}

/** Generated cases for `profile`, evaluated at `now` (seconds). */
export function tokenCases(profile: TokenProfile, keys: CaseKeys, now: number): fc.Arbitrary<TokenCase> {
  const issuerAudience = new Map(profile.issuers.map((i) => [i.iss, i.audience]))
  const signers = profile.algorithms.map((alg) => (alg === 'RS256' ? keys.rsa : keys.ec))
  const first = profile.issuers[0]!
  // Each knob draws from the values every verifier accepts most of the time, so that the
  // mutations meet tokens that would otherwise pass.
  const knob = <T>(good: readonly T[], bad: readonly T[]) =>
    fc.oneof(
      { arbitrary: fc.constantFrom(...good), weight: 4 },
      { arbitrary: fc.constantFrom(...good, ...bad), weight: 1 },
    )
  return fc
    .record({
      iss: knob(
        profile.issuers.map((i) => i.iss),
        [`${first.iss}/`, first.iss.toUpperCase(), 'https://x.example'],
      ),
      signer: fc.constantFrom(...signers),
      exp: knob([-4, 1, 4, 6, 60, 3600], [-3600, -6]),
      nbf: knob([undefined, -60, 4], [6, 60]),
      iat: fc.constantFrom(undefined, -3600, -60, 0, 4),
      aud: knob(['match', 'array-match'], ['other', 'array-other', 'absent']),
      typ: knob(['at+jwt', 'application/AT+JWT'], [undefined, 'JWT', 'text/at+jwt']),
      mutation: fc.oneof(
        { arbitrary: fc.constant(MUTATIONS[0]!), weight: 1 },
        { arbitrary: fc.constantFrom(...MUTATIONS), weight: 4 },
      ),
      at: fc.nat(),
    })
    .map((k) => {
      const audience = issuerAudience.get(k.iss) ?? first.audience
      const claims: Record<string, unknown> = { ...profile.claims, iss: k.iss, exp: now + k.exp }
      if (k.nbf !== undefined) claims.nbf = now + k.nbf
      if (k.iat !== undefined) claims.iat = now + k.iat
      if (k.aud === 'match') claims.aud = audience
      else if (k.aud === 'array-match') claims.aud = ['someone-else', audience]
      else if (k.aud === 'other') claims.aud = 'someone-else'
      else if (k.aud === 'array-other') claims.aud = ['someone-else']
      const header: Record<string, unknown> = { alg: k.signer.alg, kid: k.signer.kid, ...profile.header }
      if (k.typ !== undefined) header.typ = k.typ
      const draft: Draft = { header, claims, signer: k.signer }
      k.mutation.edit(draft, { now, keys, audience, at: k.at })
      if (draft.signer === keys.attacker) draft.header.kid = keys.rsa.kid
      const { edit: _edit, ...mutation } = k.mutation
      const description = `${k.mutation.name}: header ${draft.headerText ?? JSON.stringify(draft.header)} claims ${
        draft.claimsText ?? JSON.stringify(draft.claims)
      }`
      return { token: encode(draft, keys), mutation, description }
    })
}
