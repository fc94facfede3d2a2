// Salesforce record IDs: 15 case-sensitive characters, or 18 with a case-insensitive suffix that
// lets case-folding systems recover the original casing. APIs answer with 18 and accept both.

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const ID15 = /^[0-9A-Za-z]{15}$/
const ID18 = /^[0-9A-Za-z]{18}$/

function isUpper(ch: string): boolean {
  return ch >= 'A' && ch <= 'Z'
}

/** The three-character suffix of a 15-character id. */
export function idSuffix(id15: string): string {
  let suffix = ''
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0
    for (let i = 0; i < 5; i++) {
      if (isUpper(id15.charAt(chunk * 5 + i))) bits |= 1 << i
    }
    suffix += SUFFIX_ALPHABET.charAt(bits)
  }
  return suffix
}

export function toId18(id15: string): string {
  return id15 + idSuffix(id15)
}

/**
 * Normalises a 15- or 18-character id to its 18-character form, or null when it is not
 * shaped like an id. An 18-character id whose casing was lost is restored from its suffix.
 */
export function normalizeId(value: string): string | null {
  if (ID15.test(value)) return toId18(value)
  if (!ID18.test(value)) return null
  const suffix = value.slice(15).toUpperCase()
  let restored = ''
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = SUFFIX_ALPHABET.indexOf(suffix.charAt(chunk))
    if (bits < 0) return null
    for (let i = 0; i < 5; i++) {
      const ch = value.charAt(chunk * 5 + i)
      restored += bits & (1 << i) ? ch.toUpperCase() : ch.toLowerCase()
    }
  }
  return restored + suffix
}

export function keyPrefixOf(id: string): string {
  return id.slice(0, 3)
}

function base62(n: bigint, width: number): string {
  let out = ''
  let rest = n
  while (rest > 0n) {
    out = BASE62.charAt(Number(rest % 62n)) + out
    rest /= 62n
  }
  return out.padStart(width, '0')
}

const SERIAL_SPACE = 62n ** 10n
// Coprime with 62, so serial -> body is a bijection: unique ids that still look varied.
const SERIAL_MIX = 5_394_826_723_139n

/**
 * An 18-character id: key prefix, a two-character pod marker, ten base-62 characters derived
 * from a serial. The serial is what makes ids unique; the rest only makes them look familiar.
 */
export function makeId(keyPrefix: string, serial: number): string {
  const body = (BigInt(serial) * SERIAL_MIX) % SERIAL_SPACE
  return toId18(keyPrefix + '5g' + base62(body, 10))
}

/** Two base-62 characters for custom key prefixes. */
export function base62Pair(n: number): string {
  return base62(BigInt(n % (62 * 62)), 2)
}
