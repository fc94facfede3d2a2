import { UsageError } from './run-cli.ts'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

/**
 * The org a command talks to, from `--org` or its variable: https, or plain http only on a
 * loopback host (the dev org). Secrets travel to it (client secrets, the initial access
 * token), so an http URL elsewhere is refused before anything is sent.
 */
export function orgUrl(value: string, from: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`${from} expects the org's URL (https://…), found '${value}'`)
  }
  if (url.protocol === 'https:') return url
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return url
  throw new UsageError(
    `${from} must use https (plain http only on a loopback host such as 127.0.0.1), found '${value}'`,
  )
}
