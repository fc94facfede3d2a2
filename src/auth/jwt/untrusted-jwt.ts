import { tokenInvalid } from './jwt-failure.ts'
import { parseUntrustedJson, UntrustedJsonError } from './untrusted-json.ts'

/**
 * A compact JWS split into its parts. Nothing here is verified: the header and payload are
 * attacker-controlled until the signature has been checked with a key from configuration.
 */
export interface UnverifiedJwt {
  readonly untrustedHeader: Readonly<Record<string, unknown>>
  readonly untrustedPayload: Readonly<Record<string, unknown>>
  /** `base64url(header) + '.' + base64url(payload)`, the bytes the signature covers. */
  readonly signingInput: string
  readonly signature: Buffer
}

export const DEFAULT_MAX_TOKEN_BYTES = 8192

// Exactly three non-empty base64url segments: no padding, no whitespace, no JWE (five parts).
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

const utf8 = new TextDecoder('utf-8', { fatal: true })

export function parseUnverifiedJwt(token: string, maxTokenBytes = DEFAULT_MAX_TOKEN_BYTES): UnverifiedJwt {
  // Length first: an oversized token costs no decoding or parsing work.
  if (token.length > maxTokenBytes) throw tokenInvalid('jwt.too_large')
  if (!COMPACT_JWS.test(token)) throw tokenInvalid('jwt.malformed', 'not a compact JWS')
  const firstDot = token.indexOf('.')
  const secondDot = token.indexOf('.', firstDot + 1)
  const headerPart = token.slice(0, firstDot)
  const payloadPart = token.slice(firstDot + 1, secondDot)
  const signaturePart = token.slice(secondDot + 1)
  return {
    untrustedHeader: parseSegmentObject(headerPart, 'header'),
    untrustedPayload: parseSegmentObject(payloadPart, 'payload'),
    signingInput: token.slice(0, secondDot),
    signature: strictBase64url(signaturePart, 'signature'),
  }
}

function parseSegmentObject(segment: string, what: string): Readonly<Record<string, unknown>> {
  const bytes = strictBase64url(segment, what)
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    throw tokenInvalid('jwt.malformed', `${what} is not UTF-8`)
  }
  let value: unknown
  try {
    value = parseUntrustedJson(text)
  } catch (err) {
    if (err instanceof UntrustedJsonError && err.kind === 'duplicate_member') {
      throw tokenInvalid('jwt.duplicate_member', `${what} repeats a member name`)
    }
    throw tokenInvalid('jwt.malformed', `${what} is not acceptable JSON`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw tokenInvalid('jwt.malformed', `${what} is not a JSON object`)
  }
  return value as Record<string, unknown>
}

/**
 * Node's decoder skips characters it does not expect and ignores stray bits, so two
 * different strings could map to the same bytes; only the canonical spelling passes.
 */
function strictBase64url(segment: string, what: string): Buffer {
  const bytes = Buffer.from(segment, 'base64url')
  if (bytes.toString('base64url') !== segment)
    throw tokenInvalid('jwt.malformed', `${what} is not canonical base64url`)
  return bytes
}
