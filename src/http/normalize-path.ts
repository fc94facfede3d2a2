/**
 * One canonical form for request paths, used for routing, authorization and forwarding alike,
 * so that no spelling of a path (`//admin`, `/%61dmin`, `/x/../admin`) can be authorized as one
 * route and served as another.
 *
 * - percent-escapes of unreserved characters are decoded once; other escapes are kept
 *   (upper-cased); escaped `/`, `\` and NUL are refused, as are raw `\`, controls and
 *   escapes that are not UTF-8;
 * - dot segments are resolved (RFC 3986 §5.2.4), including escaped dots; a segment that
 *   only looks like a dot segment after `;` parameters (`..;x`) is refused, since some
 *   upstreams strip the parameters and would then climb;
 * - repeated slashes collapse to one. Case and trailing slashes are kept.
 */
export type NormalizedTarget =
  | { readonly ok: true; readonly path: string; readonly rawQuery: string }
  | { readonly ok: false; readonly reason: string }

const HEX = '0123456789ABCDEF'

function isUnreserved(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2d ||
    code === 0x2e ||
    code === 0x5f ||
    code === 0x7e
  )
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  const lower = c | 0x20
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10
  return -1
}

function decodeSegment(segment: string): string | undefined {
  if (!segment.includes('%')) return segment
  let out = ''
  for (let i = 0; i < segment.length; i++) {
    const ch = segment.charCodeAt(i)
    if (ch !== 0x25) {
      out += segment[i]
      continue
    }
    const hi = hexValue(segment.charCodeAt(i + 1))
    const lo = hexValue(segment.charCodeAt(i + 2))
    if (hi < 0 || lo < 0) return undefined
    const byte = hi * 16 + lo
    if (byte === 0x2f || byte === 0x5c || byte === 0x00) return undefined
    out += isUnreserved(byte) ? String.fromCharCode(byte) : `%${HEX[hi]}${HEX[lo]}`
    i += 2
  }
  try {
    decodeURIComponent(out)
  } catch {
    return undefined
  }
  return out
}

export function normalizeTarget(target: string): NormalizedTarget {
  if (target.charCodeAt(0) !== 0x2f) return { ok: false, reason: 'request target is not origin-form' }
  const q = target.indexOf('?')
  const rawPath = q === -1 ? target : target.slice(0, q)
  const rawQuery = q === -1 ? '' : target.slice(q + 1)
  for (let i = 0; i < rawPath.length; i++) {
    const c = rawPath.charCodeAt(i)
    if (c <= 0x20 || c >= 0x7f || c === 0x5c || c === 0x23)
      return { ok: false, reason: 'forbidden character in path' }
  }
  const fast = !rawPath.includes('%') && !rawPath.includes('//') && !rawPath.includes('/.')
  if (fast) return { ok: true, path: rawPath, rawQuery }
  const out: string[] = []
  const segments = rawPath.split('/')
  const last = segments.length - 1
  for (let i = 1; i <= last; i++) {
    const decoded = decodeSegment(segments[i]!)
    if (decoded === undefined) return { ok: false, reason: 'forbidden or malformed escape in path' }
    if (decoded === '' && i !== last) continue
    if (decoded === '.' || decoded === '..') {
      if (decoded === '..') out.pop()
      // A trailing dot segment leaves a directory path behind it, hence the slash.
      if (i === last) out.push('')
      continue
    }
    if (/^\.\.?;/.test(decoded)) return { ok: false, reason: 'dot segment with parameters' }
    out.push(decoded)
  }
  const path = `/${out.join('/')}`
  return { ok: true, path: path === '//' ? '/' : path, rawQuery }
}
