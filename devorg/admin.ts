import type { IncomingMessage, ServerResponse } from 'node:http'
import { type Faults, parseFaultsPatch } from './faults.ts'
import { readBody, sendJson } from './http/body.ts'

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1'
}

/**
 * `GET /__devorg/faults` shows the fault switches; `POST` with a JSON object changes some of
 * them. Only answered to callers on this machine.
 */
export async function handleAdmin(
  faults: Faults,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<void> {
  if (!isLoopback(req.socket.remoteAddress)) return sendJson(res, 403, { error: 'forbidden' })
  if (pathname !== '/__devorg/faults') return sendJson(res, 404, { error: 'not_found' })
  if (req.method === 'GET') return sendJson(res, 200, faults)
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' })
  let input: unknown
  try {
    input = JSON.parse((await readBody(req)).toString('utf8'))
  } catch {
    return sendJson(res, 400, { error: 'invalid_json', error_description: 'expected a JSON object' })
  }
  const patch = parseFaultsPatch(input)
  if (typeof patch === 'string')
    return sendJson(res, 400, { error: 'invalid_faults', error_description: patch })
  Object.assign(faults, patch)
  sendJson(res, 200, faults)
}
