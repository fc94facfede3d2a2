import { type MutationRule, SKEW_SECONDS, STRICT_DUPLICATES, STRICT_LIFETIME } from './jwt-mutation.ts'

/** Mutations of a token's claims: times, audience, issuer, types and JSON shape of the payload. */
export const CLAIM_MUTATIONS: readonly MutationRule[] = [
  {
    name: 'payload is an array',
    edit: (d) => {
      d.claimsText = JSON.stringify([d.claims])
    },
  },
  {
    name: 'exp exactly at the end of the leeway',
    libraries: {
      follow: 'jose',
      why: 'RFC 7519 §4.1.4: not accepted on or after exp; aws-jwt-verify accepts at it',
    },
    edit: (d, c) => {
      d.claims.exp = c.now - SKEW_SECONDS
    },
  },
  {
    name: 'nbf exactly at the end of the leeway',
    edit: (d, c) => {
      d.claims.nbf = c.now + SKEW_SECONDS
    },
  },
  {
    name: 'fractional exp',
    edit: (d, c) => {
      d.claims.exp = c.now + 60.5
    },
  },
  {
    name: 'no exp',
    edit: (d) => {
      delete d.claims.exp
    },
  },
  {
    name: 'exp is a string',
    edit: (d, c) => {
      d.claims.exp = String(c.now + 60)
    },
  },
  {
    name: 'nbf is a string',
    edit: (d) => {
      d.claims.nbf = '0'
    },
  },
  {
    name: 'iat is a string',
    edit: (d) => {
      d.claims.iat = 'yesterday'
    },
  },
  {
    name: 'iat in the future',
    stricter: 'a token issued in the future (beyond the leeway) is refused (time-claims.ts)',
    edit: (d, c) => {
      d.claims.iat = c.now + 120
      d.claims.exp = c.now + 600
      delete d.claims.nbf
    },
  },
  {
    name: 'exp beyond the maximum lifetime',
    stricter: STRICT_LIFETIME,
    edit: (d, c) => {
      d.claims.exp = c.now + 90_000
    },
  },
  {
    name: 'iat older than the maximum lifetime',
    stricter: STRICT_LIFETIME,
    edit: (d, c) => {
      d.claims.iat = c.now - 90_000
    },
  },
  {
    name: 'aud with a non-string entry',
    libraries: { follow: 'aws-jwt-verify', why: 'RFC 7519 §4.1.3: aud is a string or an array of strings' },
    edit: (d, c) => {
      d.claims.aud = [1, c.audience]
    },
  },
  {
    name: 'aud is an empty array',
    edit: (d) => {
      d.claims.aud = []
    },
  },
  {
    name: 'client_id instead of aud',
    clientIdAudience: true,
    edit: (d, c) => {
      d.claims.client_id = c.audience
      delete d.claims.aud
    },
  },
  {
    name: 'client_id next to a foreign aud',
    clientIdAudience: true,
    edit: (d, c) => {
      d.claims.client_id = c.audience
      d.claims.aud = 'someone-else'
    },
  },
  {
    name: 'tty dropped',
    edit: (d) => {
      delete d.header.tty
    },
  },
  {
    name: 'exp 1e400',
    libraries: {
      follow: 'aws-jwt-verify',
      why: 'JSON 1e400 reads as Infinity, which is no NumericDate (RFC 7519 §2)',
    },
    edit: (d) => {
      d.claimsText = JSON.stringify(d.claims).replace(/"exp":[^,}]+/, '"exp":1e400')
    },
  },
  {
    name: 'negative nbf',
    stricter: 'a NumericDate before 1970 is refused as malformed (time-claims.ts)',
    edit: (d) => {
      d.claims.nbf = -1
    },
  },
  {
    name: 'iss is an array',
    edit: (d) => {
      d.claims.iss = [d.claims.iss]
    },
  },
  {
    name: 'typ is an array',
    edit: (d) => {
      d.header.typ = ['at+jwt']
    },
  },
  {
    name: 'payload starts with a BOM',
    libraries: {
      follow: 'jose',
      why: 'RFC 8259 §8.1 lets a parser ignore a byte order mark; aws-jwt-verify hands it to JSON.parse',
    },
    edit: (d) => {
      d.claimsText = `\uFEFF${JSON.stringify(d.claims)}`
    },
  },
  {
    name: '__proto__ claim',
    edit: (d) => {
      d.claimsText = `{"__proto__":{"admin":true},${JSON.stringify(d.claims).slice(1)}`
    },
  },
  {
    name: 'escaped duplicate of exp',
    stricter: STRICT_DUPLICATES,
    edit: (d, c) => {
      d.claimsText = `{"\\u0065xp":${c.now - 3600},${JSON.stringify(d.claims).slice(1)}`
    },
  },
]
