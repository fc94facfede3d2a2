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

/**
 * A JSON body as the gateway's one capped reader read it (the integrate stage, before the
 * handler runs): application/json only, at most `maxBytes`.
 */
export function parseJsonBody(req: IncomingMessage, body: Buffer, maxBytes: number): unknown {
  const type = req.headers['content-type'] ?? ''
  if (!/^application\/json\b/i.test(type))
    throw new AdminHttpError(415, 'ADMIN_UNSUPPORTED_MEDIA_TYPE', 'the body must be application/json')
  if (body.length > maxBytes) throw tooLarge(maxBytes)
  try {
    return JSON.parse(body.toString('utf8'))
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
