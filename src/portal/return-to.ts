/**
 * Where a browser may be sent after login: a path on our own origin, nothing else. Anything
 * that a browser could read as another origin (`//evil`, `/\evil`, a tab or newline that the
 * URL parser drops, `https:evil`, `javascript:`, percent-encoded variants of these) falls back
 * to the default. The oauth2-proxy open-redirect advisories are the test list.
 */
export function safeReturnTo(candidate: string | undefined, fallback: string): string {
  if (candidate === undefined || candidate === '') return fallback
  if (candidate.length > 2048) return fallback
  // Control characters and backslashes are never needed in our paths and are how the known
  // bypasses smuggle a second slash past a naive check.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(candidate)) return fallback
  if (!candidate.startsWith('/') || candidate.startsWith('//')) return fallback
  let decoded = candidate
  try {
    decoded = decodeURIComponent(candidate)
  } catch {
    return fallback
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: same rule after one decoding
  if (decoded.startsWith('//') || /[\u0000-\u001f\u007f\\]/.test(decoded)) return fallback
  // Resolve against a sentinel origin: whatever the browser would do, it must stay there.
  const base = 'https://return-to.invalid'
  const resolved = new URL(candidate, base)
  if (resolved.origin !== base) return fallback
  return resolved.pathname + resolved.search
}
