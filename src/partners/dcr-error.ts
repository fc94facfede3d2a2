/**
 * Failures talking to the org's registration endpoints (RFC 7591 / RFC 7592), with stable
 * codes. Messages carry the org's `error` and `error_description` (which describe metadata
 * problems) but never a token or secret.
 */
export type DcrErrorCode =
  /** A redirect URI failed local policy, or the org answered `invalid_redirect_uri`. */
  | 'DCR_INVALID_REDIRECT_URI'
  /** The org answered 400 `invalid_client_metadata` (or another 400). */
  | 'DCR_INVALID_CLIENT_METADATA'
  /** 401: the initial access token (register) or registration access token (read/delete) was refused. */
  | 'DCR_UNAUTHORIZED'
  /** 403: the token is valid but not for this client. */
  | 'DCR_FORBIDDEN'
  /** 405: the org does not support this management operation. */
  | 'DCR_NOT_SUPPORTED'
  /** Network failure, timeout, or a 5xx from the org. */
  | 'DCR_ORG_UNAVAILABLE'
  /** The org answered something this client cannot use (not JSON, missing fields, foreign URI). */
  | 'DCR_BAD_RESPONSE'

export interface DcrErrorOptions {
  readonly status?: number
  readonly orgError?: string
  readonly cause?: unknown
}

export class DcrError extends Error {
  readonly code: DcrErrorCode
  /** HTTP status the org answered, when it answered. */
  readonly status: number | undefined
  /** The org's RFC 7591 `error` value, when it sent one. */
  readonly orgError: string | undefined

  constructor(code: DcrErrorCode, message: string, options: DcrErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'DcrError'
    this.code = code
    this.status = options.status
    this.orgError = options.orgError
  }
}

export function isDcrError(value: unknown): value is DcrError {
  return value instanceof DcrError
}
