/**
 * A URL that a browser or a form supplied, resolved against one of our origins and kept only
 * when it stays there. The check runs on the resolved URL because that is what a browser or
 * `fetch` acts on: `/.//evil`, `/x/..//evil` and `/%2e//evil` look like paths yet resolve to a
 * network-path reference, the WHATWG parser reads `/\evil` as `//evil` and drops tabs and
 * newlines before parsing, `https://ours@evil` names another host.
 */

const MAX_LENGTH = 2048

// Control characters and backslashes are never needed in our paths and are how the known
// bypasses smuggle a second slash past a check.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f\\]/

/** The resolved URL on `origin`, or undefined for anything that could leave it. */
export function resolveSameOrigin(candidate: string | undefined, origin: string): URL | undefined {
  if (candidate === undefined || candidate === '' || candidate.length > MAX_LENGTH) return undefined
  if (UNSAFE.test(candidate)) return undefined
  const base = new URL(origin)
  let url: URL
  try {
    url = new URL(candidate, base.origin)
  } catch {
    return undefined
  }
  if (url.origin !== base.origin || url.username !== '' || url.password !== '') return undefined
  // Written out as `pathname + search`, a path that begins with `//` names another host the
  // next time anyone resolves it (a browser reading Location, or this function again).
  if (url.pathname.startsWith('//')) return undefined
  url.hash = ''
  return url
}

/** The part of a checked URL that is sent on: path and query, never an origin. */
export function pathAndQuery(url: URL): string {
  return url.pathname + url.search
}
