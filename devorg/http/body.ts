import { IncomingMessage, type ServerResponse } from 'node:http'

export const BODY_LIMIT = 64 * 1024

export class BodyTooLarge extends Error {}

/** Reads a request body up to `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = BODY_LIMIT): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buf = chunk as Buffer
    size += buf.length
    if (size > limit) throw new BodyTooLarge('request body too large')
    chunks.push(buf)
  }
  return Buffer.concat(chunks, size)
}

export function parseForm(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString('utf8'))
}

/**
 * A fresh request carrying an already-read body, for handing a request on to oidc-provider
 * after the dev org had to look inside it (the token endpoint dispatches on `grant_type`).
 */
export function replayRequest(req: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new IncomingMessage(req.socket)
  copy.method = req.method ?? 'GET'
  copy.url = req.url ?? '/'
  copy.httpVersion = req.httpVersion
  copy.httpVersionMajor = req.httpVersionMajor
  copy.httpVersionMinor = req.httpVersionMinor
  copy.headers = { ...req.headers, 'content-length': String(body.length) }
  copy.rawHeaders = req.rawHeaders
  copy.push(body)
  copy.push(null)
  // Marks the message as fully received; otherwise its auto-destroy would take the socket down.
  copy.complete = true
  return copy
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'cache-control': 'no-cache,must-revalidate,max-age=0,no-store,private',
    ...headers,
  })
  res.end(text)
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain;charset=UTF-8', 'cache-control': 'no-store' })
  res.end(text)
}

/** Bearer (or Salesforce's `OAuth`) credential from the Authorization header. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization
  if (!header) return undefined
  const m = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header)
  return m?.[1]
}

/** Client id and secret from HTTP Basic, if present and well formed. */
export function basicCredentials(req: IncomingMessage): { id: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '')
  if (!m?.[1]) return undefined
  const decoded = Buffer.from(m[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replaceAll('+', '%20')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', '%20')),
    }
  } catch {
    return undefined
  }
}
