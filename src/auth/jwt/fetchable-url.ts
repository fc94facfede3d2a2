import { isIP } from 'node:net'

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

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname
  if (host === 'localhost') return true
  const family = isIP(host)
  if (family === 4) return host.startsWith('127.')
  if (family === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1'
  return false
}
