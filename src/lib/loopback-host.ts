import { isIP } from 'node:net'

/** `localhost`, 127.0.0.0/8 and ::1: the hosts where plain http never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname
  if (host === 'localhost') return true
  const family = isIP(host)
  if (family === 4) return host.startsWith('127.')
  if (family === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1'
  return false
}
