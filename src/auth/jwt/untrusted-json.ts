/**
 * JSON from a token, read before anything about it is trusted. Duplicate member names are
 * rejected (RFC 7515 §5.2 allows it) so that no two readers can see different values for
 * the same claim, and nesting is bounded so the work stays proportional to the size cap.
 */

export class UntrustedJsonError extends Error {
  readonly kind: 'syntax' | 'duplicate_member' | 'too_deep'

  constructor(kind: UntrustedJsonError['kind']) {
    super(`untrusted JSON rejected: ${kind}`)
    this.name = 'UntrustedJsonError'
    this.kind = kind
  }
}

export const MAX_JSON_DEPTH = 32

export function parseUntrustedJson(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new UntrustedJsonError('syntax')
  }
  // JSON.parse accepted the text, so the scan below only has to follow well-formed structure.
  assertNoDuplicateMembers(text, maxDepth)
  return value
}

function assertNoDuplicateMembers(text: string, maxDepth: number): void {
  // One entry per open container: the member names seen so far, or null for an array.
  const stack: (Set<string> | null)[] = []
  let expectKey = false
  let i = 0
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= maxDepth) throw new UntrustedJsonError('too_deep')
      const isObject = c === 0x7b
      stack.push(isObject ? new Set() : null)
      expectKey = isObject
      i++
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop()
      expectKey = false
      i++
    } else if (c === 0x2c /* , */) {
      expectKey = stack.at(-1) instanceof Set
      i++
    } else if (c === 0x22 /* " */) {
      const end = endOfString(text, i)
      if (expectKey) {
        const names = stack.at(-1)
        // Compare unescaped names: "a" and "\u0061" are the same member.
        const name = JSON.parse(text.slice(i, end)) as string
        if (names instanceof Set) {
          if (names.has(name)) throw new UntrustedJsonError('duplicate_member')
          names.add(name)
        }
        expectKey = false
      }
      i = end
    } else {
      i++
    }
  }
}

/** Index just past the closing quote of the string that starts at `start`. */
function endOfString(text: string, start: number): number {
  let i = start + 1
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === 0x5c /* \ */) i += 2
    else if (c === 0x22) return i + 1
    else i++
  }
  throw new UntrustedJsonError('syntax')
}
