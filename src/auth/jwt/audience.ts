import { tokenInvalid } from './jwt-failure.ts'

/**
 * The HTTP API JWT authorizer's audience rule: `aud` (a string, or an array where one entry
 * must match) is evaluated when present; `client_id` only when `aud` is absent. An empty or
 * mistyped `aud` fails rather than falling back, so a token cannot dodge the check by
 * sending `"aud": []` next to a friendly `client_id`.
 */
export function checkAudience(
  claims: Readonly<Record<string, unknown>>,
  accepted: ReadonlySet<string>,
): void {
  if (Object.hasOwn(claims, 'aud')) {
    const aud = claims.aud
    if (typeof aud === 'string') {
      if (accepted.has(aud)) return
    } else if (Array.isArray(aud) && aud.length > 0 && aud.every((a) => typeof a === 'string')) {
      if (aud.some((a: string) => accepted.has(a))) return
    }
    throw tokenInvalid('jwt.aud', 'no accepted audience in aud')
  }
  const clientId = claims.client_id
  if (typeof clientId === 'string' && accepted.has(clientId)) return
  throw tokenInvalid('jwt.aud', 'no aud and no accepted client_id')
}
