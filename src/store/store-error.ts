/**
 * Errors of the storage layer. Each carries a stable code so callers (the partner service,
 * the admin API, the CLI) can branch on it; messages name the problem, never a secret.
 */
export type StoreErrorCode =
  | 'STORE_KEY_INVALID'
  | 'STORE_KEY_UNKNOWN'
  | 'STORE_DECRYPT_FAILED'
  | 'STORE_SCHEMA_TOO_NEW'
  | 'STORE_DUPLICATE'
  | 'STORE_CLOSED'

export class StoreError extends Error {
  readonly code: StoreErrorCode

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StoreError'
    this.code = code
  }
}

export function isStoreError(value: unknown): value is StoreError {
  return value instanceof StoreError
}
