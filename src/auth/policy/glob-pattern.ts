/**
 * IAM-style wildcard patterns (`*` any run of characters, possibly empty and across `/` and
 * `:`; `?` exactly one character), matched case-sensitively against a whole string.
 *
 * Compiled once into literal chunks and matched by scanning, without RegExp: the patterns
 * come from authorizer output, and a scan is linear per chunk where a backtracking regex
 * built from `*a*a*a*` is not.
 */
export interface GlobPattern {
  readonly source: string
  matches(subject: string): boolean
}

interface Chunk {
  readonly text: string
  readonly hasAnyChar: boolean
}

function chunkAt(chunk: Chunk, subject: string, at: number): boolean {
  if (!chunk.hasAnyChar) return subject.startsWith(chunk.text, at)
  if (at + chunk.text.length > subject.length) return false
  for (let i = 0; i < chunk.text.length; i++) {
    const c = chunk.text.charCodeAt(i)
    if (c !== 63 /* ? */ && c !== subject.charCodeAt(at + i)) return false
  }
  return true
}

function findChunk(chunk: Chunk, subject: string, from: number, lastStart: number): number {
  if (!chunk.hasAnyChar) {
    const at = subject.indexOf(chunk.text, from)
    return at === -1 || at > lastStart ? -1 : at
  }
  for (let at = from; at <= lastStart; at++) if (chunkAt(chunk, subject, at)) return at
  return -1
}

export function compileGlob(source: string): GlobPattern {
  const chunks: Chunk[] = source.split('*').map((text) => ({ text, hasAnyChar: text.includes('?') }))
  const first = chunks[0]!
  if (chunks.length === 1) {
    const exact = !first.hasAnyChar
    return {
      source,
      matches: exact
        ? (subject) => subject === source
        : (subject) => subject.length === source.length && chunkAt(first, subject, 0),
    }
  }
  const last = chunks[chunks.length - 1]!
  const middle = chunks.slice(1, -1).filter((c) => c.text !== '')
  const fixedLength = first.text.length + last.text.length
  return {
    source,
    matches(subject) {
      if (subject.length < fixedLength) return false
      if (!chunkAt(first, subject, 0)) return false
      const end = subject.length - last.text.length
      if (!chunkAt(last, subject, end)) return false
      // Leftmost placement of each middle chunk is optimal: any later fit leaves less room.
      let pos = first.text.length
      for (const chunk of middle) {
        const at = findChunk(chunk, subject, pos, end - chunk.text.length)
        if (at === -1) return false
        pos = at + chunk.text.length
      }
      return true
    },
  }
}
