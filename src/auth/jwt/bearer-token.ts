/**
 * The HTTP API JWT authorizer accepts the identity value either as the bare token or as
 * `Bearer <token>`, with the scheme matched case-insensitively. What remains is handed to
 * the verifier as is: a value with another scheme (`Basic …`) simply fails as a token.
 */
const BEARER_PREFIX = /^bearer +/i

export function tokenFromIdentityValue(value: string): string {
  return value.replace(BEARER_PREFIX, '')
}
