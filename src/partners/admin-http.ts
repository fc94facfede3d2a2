import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { sha256Bytes } from '../lib/digest.ts'
import { isStoreError } from '../store/store-error.ts'
import { isDcrError } from './dcr-error.ts'
import { isPartnerError } from './partner-error.ts'

/** An answer of the admin API: status, JSON body, extra headers. */
export interface AdminAnswer {
  readonly status: number
  readonly body: unknown
  readonly headers?: Readonly<Record<string, string>>
}

export class AdminHttpError extends Error {
  readonly status: number
  readonly code: string
  readonly headers: Readonly<Record<string, string>> | undefined

  constructor(status: number, code: string, message: string, headers?: Readonly<Record<string, string>>) {
    super(message)
    this.status = status
    this.code = code
    this.headers = headers
  }
}

export function sendJson(res: ServerResponse, answer: AdminAnswer): void {
  const body = answer.status === 204 ? '' : JSON.stringify(answer.body)
  res.writeHead(answer.status, {
    ...(answer.status === 204 ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    // Answers may hold one-time credentials: nothing may cache them.
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
    ...answer.headers,
  })
  res.end(body)
}

/**
 * 401 without a bearer token, 403 with a wrong one. Both sides are hashed first so the
 * comparison is constant-time whatever the lengths.
 */
export function checkAdminToken(req: IncomingMessage, expected: string): void {
  const header = req.headers.authorization
  const match = typeof header === 'string' ? /^Bearer +([^\s]+) *$/i.exec(header) : null
  if (match === null)
    throw new AdminHttpError(401, 'ADMIN_UNAUTHORIZED', 'a bearer token is required', {
      'www-authenticate': 'Bearer realm="forcegate-admin"',
    })
  if (!timingSafeEqual(sha256Bytes(match[1]!), sha256Bytes(expected)))
    throw new AdminHttpError(403, 'ADMIN_FORBIDDEN', 'the bearer token is not the admin token')
}

/** Reads a JSON object body, refusing more than `maxBytes` before buffering it. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? ''
  if (!/^application\/json\b/i.test(type))
    throw new AdminHttpError(415, 'ADMIN_UNSUPPORTED_MEDIA_TYPE', 'the body must be application/json')
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > maxBytes) throw tooLarge(maxBytes)
    chunks.push(chunk)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new AdminHttpError(400, 'ADMIN_INVALID_JSON', 'the body is not valid JSON')
  }
}

function tooLarge(maxBytes: number): AdminHttpError {
  return new AdminHttpError(413, 'ADMIN_BODY_TOO_LARGE', `the body exceeds ${maxBytes} bytes`, {
    connection: 'close',
  })
}

const DCR_STATUS: Readonly<Record<string, number>> = {
  DCR_INVALID_REDIRECT_URI: 400,
  DCR_INVALID_CLIENT_METADATA: 400,
  DCR_ORG_UNAVAILABLE: 503,
}

const PARTNER_STATUS: Readonly<Record<string, number>> = {
  PARTNER_INVALID_INPUT: 400,
  PARTNER_SUSPENDED: 403,
}

/** Maps any failure to a JSON answer with a stable `code`; unknown errors reveal nothing. */
export function errorAnswer(error: unknown): AdminAnswer {
  if (error instanceof AdminHttpError)
    return {
      status: error.status,
      body: { code: error.code, message: error.message },
      ...(error.headers === undefined ? {} : { headers: error.headers }),
    }
  if (isPartnerError(error)) {
    const status = PARTNER_STATUS[error.code] ?? 404
    return {
      status,
      body: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
    }
  }
  if (isDcrError(error)) {
    // The org refusing the gateway's own tokens is a gateway-side (upstream) problem: 502.
    const status = DCR_STATUS[error.code] ?? 502
    const field = error.code === 'DCR_INVALID_REDIRECT_URI' ? { field: 'redirectUris' } : {}
    return { status, body: { code: error.code, message: error.message, ...field } }
  }
  if (isStoreError(error)) return { status: 500, body: { code: error.code, message: error.message } }
  return { status: 500, body: { code: 'ADMIN_INTERNAL', message: 'internal error' } }
}
