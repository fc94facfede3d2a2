import type { TestKey } from '../unit/auth/jwt/fixtures/keys.ts'

/**
 * What a mutation of a generated JWT is: an edit of the token's draft, and what the reference
 * libraries and forcegate are expected to make of it when they part ways on purpose.
 */

export const SKEW_SECONDS = 5

export interface CaseKeys {
  readonly rsa: TestKey
  readonly ec: TestKey
  /** Not in any key set; carries `rsa`'s kid when it signs. */
  readonly attacker: TestKey
}

/** Where a mutation makes the libraries disagree, the library whose answer the reference takes, and why. */
export interface LibraryDifference {
  readonly follow: 'jose' | 'aws-jwt-verify'
  readonly why: string
}

export interface Mutation {
  readonly name: string
  readonly libraries?: LibraryDifference
  /** forcegate refuses what both libraries accept; the reason is the design decision. */
  readonly stricter?: string
  /** The libraries are configured with API Gateway's JWT authorizer audience rule for this case. */
  readonly clientIdAudience?: true
}

export interface Draft {
  header: Record<string, unknown>
  claims: Record<string, unknown>
  /** JSON text overriding `header`/`claims`, for duplicate members. */
  headerText?: string
  claimsText?: string
  signer: TestKey | 'none' | 'hmac' | 'rs384'
  /** Edits of the encoded token, applied before (`segments`) or after signing (`signature`). */
  segments?: (header: string, payload: string) => [string, string]
  signature?: (signature: string) => string
  raw?: (token: string) => string
}

export interface EditContext {
  readonly now: number
  readonly keys: CaseKeys
  /** The audience the token's issuer accepts. */
  readonly audience: string
  /** A free number, e.g. which signature byte to flip. */
  readonly at: number
}

export type Edit = (draft: Draft, ctx: EditContext) => void

export interface MutationRule extends Mutation {
  readonly edit: Edit
}

/** Pads a base64url segment to a multiple of four with `=`, which RFC 7515 §2 leaves out. */
export const pad = (s: string) => s + '='.repeat((4 - (s.length % 4)) % 4)

/**
 * JSON text whose base64url spelling ends in a partial group (so it can be padded, or carry
 * spare bits): a trailing space, which JSON allows, when the text is a multiple of 3 bytes.
 */
export const partialGroup = (json: string) => (Buffer.byteLength(json) % 3 === 0 ? `${json} ` : json)

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** Sets unused low bits of the last character: other text, same bytes for a lenient decoder. */
export function nonCanonical(s: string): string {
  const spare = s.length % 4 === 2 ? 4 : 2
  const last = ALPHABET.indexOf(s.at(-1)!)
  return s.slice(0, -1) + ALPHABET[last | ((1 << spare) - 1)]!
}

export function flipByte(signature: string, at: number): string {
  const bytes = Buffer.from(signature, 'base64url')
  const i = at % bytes.length
  bytes[i] = bytes[i]! ^ 0x01
  return bytes.toString('base64url')
}

/** Replaces `"name":<first value>` by a repeat of the member with another value first. */
export function duplicated(draft: Draft, where: 'header' | 'claims', name: string, decoy: unknown): string {
  const object = draft[where]
  const text = JSON.stringify(object)
  return `{${JSON.stringify(name)}:${JSON.stringify(decoy)},${text.slice(1)}`
}

export const STRICT_HEADERS =
  'header members that point at keys are refused outright: no issuer we serve sends them (header-policy.ts)'
export const STRICT_ENCODING =
  'only canonical, unpadded base64url is read, so one token has one spelling (untrusted-jwt.ts)'
export const STRICT_DUPLICATES =
  'duplicate member names are refused so no two readers see different claims (RFC 7515 §5.2)'
export const STRICT_LIFETIME =
  'tokens living longer than the configured maximum (24 h) are refused (time-claims.ts)'
