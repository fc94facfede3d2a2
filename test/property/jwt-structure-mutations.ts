import {
  duplicated,
  flipByte,
  type MutationRule,
  nonCanonical,
  pad,
  partialGroup,
  STRICT_DUPLICATES,
  STRICT_ENCODING,
  STRICT_HEADERS,
} from './jwt-mutation.ts'

/** Mutations of a token's form: signature, algorithm, key choice, header members, encoding. */
export const STRUCTURE_MUTATIONS: readonly MutationRule[] = [
  { name: 'none', edit: () => {} },
  {
    name: 'signature bit flipped',
    edit: (d, c) => {
      d.signature = (s) => flipByte(s, c.at)
    },
  },
  {
    name: 'signed by a key outside the set',
    edit: (d, c) => {
      d.signer = c.keys.attacker
    },
  },
  {
    name: 'alg none',
    edit: (d) => {
      d.header.alg = 'none'
      d.signer = 'none'
    },
  },
  {
    name: 'alg NoNe',
    edit: (d) => {
      d.header.alg = 'NoNe'
      d.signer = 'none'
    },
  },
  {
    name: 'HS256 with the public key',
    edit: (d) => {
      d.header.alg = 'HS256'
      d.signer = 'hmac'
    },
  },
  {
    name: 'RS384',
    edit: (d, c) => {
      d.header.alg = 'RS384'
      d.header.kid = c.keys.rsa.kid
      d.signer = 'rs384'
    },
  },
  {
    name: 'ES256 naming the RSA key',
    edit: (d, c) => {
      d.header.alg = 'ES256'
      d.header.kid = c.keys.rsa.kid
      d.signer = c.keys.ec
    },
  },
  {
    name: 'unknown kid',
    edit: (d) => {
      d.header.kid = 'rotated-away'
    },
  },
  {
    name: 'kid is a number',
    edit: (d) => {
      d.header.kid = 1
    },
  },
  {
    name: 'no kid',
    libraries: {
      follow: 'jose',
      why: 'aws-jwt-verify needs a kid with a key set; one fitting key is unambiguous',
    },
    edit: (d) => {
      delete d.header.kid
    },
  },
  {
    name: 'crit names an unknown extension',
    libraries: { follow: 'jose', why: 'aws-jwt-verify ignores crit; RFC 7515 §4.1.11 requires refusing it' },
    edit: (d) => {
      d.header.crit = ['urn:x']
      d.header['urn:x'] = true
    },
  },
  {
    name: 'crit b64 true',
    stricter: 'forcegate implements no JWS extension, so any crit is refused (header-policy.ts)',
    edit: (d) => {
      d.header.crit = ['b64']
      d.header.b64 = true
    },
  },
  {
    name: 'crit b64 false',
    libraries: { follow: 'jose', why: 'aws-jwt-verify ignores crit; a JWT never has an unencoded payload' },
    edit: (d) => {
      d.header.crit = ['b64']
      d.header.b64 = false
    },
  },
  {
    name: 'b64 false without crit (ignored, RFC 7797 §6)',
    edit: (d) => {
      d.header.b64 = false
    },
  },
  {
    name: 'jku',
    stricter: STRICT_HEADERS,
    edit: (d) => {
      d.header.jku = 'https://attacker.example/jwks'
    },
  },
  {
    name: 'x5u',
    stricter: STRICT_HEADERS,
    edit: (d) => {
      d.header.x5u = 'https://attacker.example/cert'
    },
  },
  {
    name: 'embedded jwk',
    stricter: STRICT_HEADERS,
    edit: (d, c) => {
      d.header.jwk = c.keys.attacker.jwk
    },
  },
  {
    name: 'x5c',
    stricter: STRICT_HEADERS,
    edit: (d) => {
      d.header.x5c = ['MIIB']
    },
  },
  {
    name: 'duplicate iss',
    stricter: STRICT_DUPLICATES,
    edit: (d) => {
      d.claimsText = duplicated(d, 'claims', 'iss', 'https://attacker.example')
    },
  },
  {
    name: 'duplicate alg',
    stricter: STRICT_DUPLICATES,
    edit: (d) => {
      d.headerText = duplicated(d, 'header', 'alg', 'none')
    },
  },
  {
    name: 'padded header',
    stricter: STRICT_ENCODING,
    edit: (d) => {
      d.headerText = partialGroup(JSON.stringify(d.header))
      d.segments = (h, p) => [pad(h), p]
    },
  },
  {
    name: 'padded payload',
    stricter: STRICT_ENCODING,
    edit: (d) => {
      d.claimsText = partialGroup(JSON.stringify(d.claims))
      d.segments = (h, p) => [h, pad(p)]
    },
  },
  {
    name: 'padded signature',
    stricter: STRICT_ENCODING,
    edit: (d) => {
      d.signature = pad
    },
  },
  {
    name: 'non-canonical payload',
    stricter: STRICT_ENCODING,
    edit: (d) => {
      d.claimsText = partialGroup(JSON.stringify(d.claims))
      d.segments = (h, p) => [h, nonCanonical(p)]
    },
  },
  {
    name: 'non-canonical signature',
    stricter: STRICT_ENCODING,
    edit: (d) => {
      d.signature = nonCanonical
    },
  },
  {
    name: 'two parts',
    edit: (d) => {
      d.raw = (t) => t.slice(0, t.lastIndexOf('.'))
    },
  },
  {
    name: 'five parts',
    edit: (d) => {
      d.raw = (t) => `${t}.AAAA.AAAA`
    },
  },
  {
    name: 'empty kid',
    edit: (d) => {
      d.header.kid = ''
    },
  },
  {
    name: 'kid of 300 characters',
    edit: (d) => {
      d.header.kid = 'k'.repeat(300)
    },
  },
  {
    name: 'header is not JSON',
    edit: (d) => {
      d.headerText = `${JSON.stringify(d.header)},`
    },
  },
  {
    name: 'whitespace inside',
    edit: (d) => {
      d.raw = (t) => t.replace('.', ' .')
    },
  },
]
