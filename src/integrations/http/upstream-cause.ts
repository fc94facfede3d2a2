/** The cause as the upstream's socket gave it: its code and message (`ECONNREFUSED connect …`). */
export function upstreamCause(code: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  return code === '' || message.includes(code) ? message || code : `${code} ${message}`
}
