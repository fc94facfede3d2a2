import { constants, sign } from 'node:crypto'
import { b64url, craftToken, type Signer } from '../../unit/auth/jwt/fixtures/craft-token.ts'
import type { TestKey } from '../../unit/auth/jwt/fixtures/keys.ts'

/**
 * How a vector describes its token. Strings may hold placeholders: `{{iss}}` (the test IdP),
 * `{{iss_https}}` (the same host with https), `{{attacker}}` (a second loopback host that
 * must never be contacted), `"{{attacker_jwk}}"` (the attacker's public JWK as an object); a string that is exactly `{{now}}`, `{{now+N}}` or `{{now-N}}`
 * becomes that NumericDate. `headerJson` / `payloadJson` give the JSON text verbatim (for
 * duplicates and numbers JSON cannot round-trip); `header` / `payload` are merged over the
 * defaults, where `null` removes a member.
 */
export interface VectorToken {
  readonly sign: SignWith
  readonly header?: Record<string, unknown>
  readonly payload?: Record<string, unknown>
  readonly headerJson?: string
  readonly payloadJson?: string
  /** Adds a claim of this many characters, to build oversized tokens. */
  readonly payloadPad?: number
  readonly transform?: Transform
}

type SignWith =
  | 'rsa'
  | 'ec'
  | 'attacker-rsa'
  | 'attacker-ec'
  | 'empty'
  | 'zero-64'
  | 'hmac-rsa-public-pem'
  | 'hmac-rsa-public-jwk'
  | 'ec-der'
  | 'rsa-pss'

type Transform =
  | 'append-space'
  | 'pad-payload'
  | 'drop-signature-segment'
  | 'add-segment'
  | 'standard-base64-alphabet'
  | 'non-canonical-signature'
  | 'tamper-payload'
  | 'payload-invalid-utf8'

export interface VectorContext {
  readonly nowSeconds: number
  readonly issuer: string
  readonly attacker: string
  readonly keys: Readonly<Record<'rsa' | 'ec' | 'attacker-rsa' | 'attacker-ec', TestKey>>
}

export function buildVectorToken(spec: VectorToken, ctx: VectorContext): string {
  const signingKey = keyFor(spec.sign, ctx)
  const defaultHeader = {
    alg: signingKey?.alg ?? 'RS256',
    kid: signingKey?.kid ?? ctx.keys.rsa.kid,
    typ: 'JWT',
  }
  const defaultPayload = {
    iss: '{{iss}}',
    sub: 'user-1',
    aud: 'orders-api',
    iat: '{{now}}',
    exp: '{{now+600}}',
    scope: 'orders.read',
  }
  const headerJson = expandText(spec.headerJson ?? JSON.stringify(merge(defaultHeader, spec.header)), ctx)
  let payload = spec.payloadJson ?? JSON.stringify(merge(defaultPayload, spec.payload))
  if (spec.payloadPad !== undefined)
    payload = payload.replace(/}$/, `,"pad":"${'x'.repeat(spec.payloadPad)}"}`)
  const payloadJson = expandText(payload, ctx)
  const token = craftToken(headerJson, payloadJson, signerFor(spec.sign, ctx, headerJson, payloadJson))
  return spec.transform === undefined ? token : transform(token, spec.transform)
}

function keyFor(sign: SignWith, ctx: VectorContext): TestKey | undefined {
  if (sign === 'rsa' || sign === 'rsa-pss') return ctx.keys.rsa
  if (sign === 'ec' || sign === 'ec-der') return ctx.keys.ec
  if (sign === 'attacker-rsa' || sign === 'attacker-ec') return ctx.keys[sign]
  return undefined
}

function signerFor(signWith: SignWith, ctx: VectorContext, headerJson: string, payloadJson: string): Signer {
  const input = Buffer.from(`${b64url(headerJson)}.${b64url(payloadJson)}`)
  switch (signWith) {
    case 'rsa':
    case 'ec':
    case 'attacker-rsa':
    case 'attacker-ec':
      return { kind: 'key', key: keyFor(signWith, ctx) as TestKey }
    case 'empty':
      return { kind: 'none' }
    case 'zero-64':
      return { kind: 'bytes', signature: Buffer.alloc(64) }
    case 'hmac-rsa-public-pem':
      return {
        kind: 'hmac',
        secret: Buffer.from(ctx.keys.rsa.publicKey.export({ type: 'spki', format: 'pem' })),
      }
    case 'hmac-rsa-public-jwk':
      return { kind: 'hmac', secret: Buffer.from(JSON.stringify(ctx.keys.rsa.jwk)) }
    case 'ec-der':
      return { kind: 'bytes', signature: sign('sha256', input, ctx.keys.ec.privateKey) }
    case 'rsa-pss':
      return {
        kind: 'bytes',
        signature: sign('sha256', input, {
          key: ctx.keys.rsa.privateKey,
          padding: constants.RSA_PKCS1_PSS_PADDING,
        }),
      }
  }
}

function transform(token: string, how: Transform): string {
  const [h, p, s] = token.split('.') as [string, string, string]
  switch (how) {
    case 'append-space':
      return `${token} `
    case 'pad-payload':
      return `${h}.${p}==.${s}`
    case 'drop-signature-segment':
      return `${h}.${p}`
    case 'add-segment':
      return `${token}.${s}`
    case 'standard-base64-alphabet':
      return `${h}.${p}.${Buffer.from(s, 'base64url').toString('base64').replace(/=+$/, '')}`
    case 'non-canonical-signature': {
      // The last character of an RS256 signature carries 2 unused bits; flipping one keeps
      // the decoded bytes but changes the text.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
      const last = alphabet.indexOf(s.at(-1) as string)
      return `${h}.${p}.${s.slice(0, -1)}${alphabet[last ^ 1]}`
    }
    case 'tamper-payload': {
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>
      return `${h}.${b64url(JSON.stringify({ ...claims, sub: 'admin' }))}.${s}`
    }
    case 'payload-invalid-utf8':
      return `${h}.${Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]).toString('base64url')}.${s}`
  }
}

function merge(
  base: Record<string, unknown>,
  over: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  for (const [k, v] of Object.entries(over ?? {})) {
    if (v === null) delete out[k]
    else out[k] = v
  }
  return out
}

/** Placeholders are expanded in the JSON text, so they work inside raw JSON as well. */
function expandText(json: string, ctx: VectorContext): string {
  return json
    .replace(/"\{\{now(?:([+-])(\d+))?\}\}"/g, (_, sign: string | undefined, n: string | undefined) =>
      String(ctx.nowSeconds + (sign === '-' ? -1 : 1) * Number(n ?? 0)),
    )
    .replace(/\{\{now(?:([+-])(\d+))?\}\}/g, (_, sign: string | undefined, n: string | undefined) =>
      String(ctx.nowSeconds + (sign === '-' ? -1 : 1) * Number(n ?? 0)),
    )
    .replaceAll('"{{attacker_jwk}}"', JSON.stringify(ctx.keys['attacker-rsa'].jwk))
    .replaceAll('{{iss_https}}', ctx.issuer.replace(/^http:/, 'https:'))
    .replaceAll('{{iss}}', ctx.issuer)
    .replaceAll('{{attacker}}', ctx.attacker)
}
