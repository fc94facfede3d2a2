import { isLoopbackHost } from '../../lib/loopback-host.ts'

/**
 * Key material is only as trustworthy as the channel it arrives on, so issuers, discovery
 * documents and key sets are fetched over `https:`. Plain `http:` is allowed for loopback
 * hosts only (a local IdP during development and tests); no option turns this off.
 */
export function parseFetchableUrl(value: string, what: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new TypeError(`${what} is not an absolute URL`)
  }
  if (url.username !== '' || url.password !== '') throw new TypeError(`${what} must not carry credentials`)
  if (url.protocol === 'https:') return url
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url
  throw new TypeError(`${what} must use https: (http: only for loopback hosts)`)
}
