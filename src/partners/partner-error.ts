/** Failures of the partner service itself (input, lookups); org and store failures keep their own types. */
export type PartnerErrorCode =
  | 'PARTNER_INVALID_INPUT'
  | 'PARTNER_NOT_FOUND'
  | 'PARTNER_CONTRACT_NOT_FOUND'
  | 'PARTNER_SUSPENDED'

export class PartnerError extends Error {
  readonly code: PartnerErrorCode
  /** The input field at fault, as a dotted path (`contracts[0].usagePlan`). */
  readonly field: string | undefined

  constructor(code: PartnerErrorCode, message: string, field?: string) {
    super(message)
    this.name = 'PartnerError'
    this.code = code
    this.field = field
  }
}

export function isPartnerError(value: unknown): value is PartnerError {
  return value instanceof PartnerError
}
