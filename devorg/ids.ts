import { createHash, randomBytes } from 'node:crypto'

// Salesforce record ids: 15 case-sensitive characters (3-character key prefix + 12) plus a
// 3-character suffix that encodes which of the first 15 characters are upper case.
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

export function checksumSuffix(id15: string): string {
  let suffix = ''
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i)
      if (c >= 'A' && c <= 'Z') bits |= 1 << i
    }
    suffix += SUFFIX_ALPHABET.charAt(bits)
  }
  return suffix
}

/** Accepts a 15- or 18-character id and returns the 18-character form, or null when malformed. */
export function to18(id: string): string | null {
  if (/^[A-Za-z0-9]{18}$/.test(id)) {
    const id15 = id.slice(0, 15)
    return id15 + checksumSuffix(id15)
  }
  if (/^[A-Za-z0-9]{15}$/.test(id)) return id + checksumSuffix(id)
  return null
}

function base62(bytes: Uint8Array, length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += BASE62.charAt((bytes[i] ?? 0) % 62)
  return out
}

/** A stable id for a seeded entity: the same seed key always yields the same id. */
export function deterministicId(prefix: string, key: string): string {
  const digest = createHash('sha256').update(`${prefix}:${key}`).digest()
  const id15 = prefix + '5g' + base62(digest, 15 - prefix.length - 2)
  return id15 + checksumSuffix(id15)
}

/** Random base-62 text, for client ids and opaque secrets. */
export function randomBase62(length: number, random: (n: number) => Uint8Array = randomBytes): string {
  return base62(random(length), length)
}
