import { errorSpec, type GatewayErrorCode } from './codes.ts'

export interface GatewayErrorOptions {
  /** Log-only explanation: never rendered to the client. */
  readonly detail?: string
  /** Stable machine-readable reason for logs and `explain` (e.g. `jwt.exp`). */
  readonly reason?: string
  /** Extra response headers (e.g. `WWW-Authenticate`, `Retry-After`). */
  readonly headers?: Readonly<Record<string, string>>
  readonly cause?: unknown
  /** Who was refused, when an authorizer named them (a policy's principalId): for the access log. */
  readonly principalId?: string
  /** What the client sees instead of the code's message, where AWS names specifics (validators). */
  readonly clientMessage?: string
  /** `$context.error.validationErrorString` of a request validator's refusal. */
  readonly validationErrorString?: string
}

/** The one error type that crosses stage boundaries; its code decides everything the client sees. */
export class GatewayError extends Error {
  readonly code: GatewayErrorCode
  readonly status: number
  readonly reason: string | undefined
  readonly detail: string | undefined
  readonly headers: Readonly<Record<string, string>> | undefined
  readonly principalId: string | undefined
  readonly clientMessage: string | undefined
  readonly validationErrorString: string | undefined

  constructor(code: GatewayErrorCode, options: GatewayErrorOptions = {}) {
    super(options.detail ?? code, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'GatewayError'
    this.code = code
    this.status = errorSpec(code).status
    this.reason = options.reason
    this.detail = options.detail
    this.headers = options.headers
    this.principalId = options.principalId
    this.clientMessage = options.clientMessage
    this.validationErrorString = options.validationErrorString
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError
}
