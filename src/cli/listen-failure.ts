/**
 * A listener that could not start, in one line that says what to do, instead of Node's stack:
 * `choose` names where this listener's port comes from (`--port or FORCEGATE_PORT`).
 */
export function listenFailure(err: unknown, choose: string): string | undefined {
  const { code, address, port } = (err ?? {}) as { code?: unknown; address?: unknown; port?: unknown }
  const where = `${typeof address === 'string' ? address : ''}:${typeof port === 'number' ? port : '?'}`
  if (code === 'EADDRINUSE')
    return `${where} is already in use (EADDRINUSE): stop what holds it, or choose another port with ${choose}`
  if (code === 'EACCES')
    return `${where}: not allowed to listen there (ports below 1024 need privileges): choose another port with ${choose}`
  if (code === 'EADDRNOTAVAIL')
    return `${where}: the address is not one of this machine's: choose another with --host`
  return undefined
}
