/**
 * Claims as the HTTP API JWT authorizer hands them to integrations
 * (`requestContext.authorizer.jwt.claims`): every value is a string. Strings pass unchanged,
 * numbers and booleans print as JavaScript prints them (`1700000000`, `true`), arrays print
 * as `[a b]` with each element flattened by the same rules (the form observed in API
 * Gateway events), `null` prints as `null`, and objects as compact JSON.
 * [verify] arrays and numbers follow observed events; nested objects are our choice.
 */
export function claimsForEvent(claims: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(claims)) {
    // Assigning `__proto__` would go through the prototype setter instead of adding a claim.
    if (name === '__proto__') continue
    out[name] = flattenClaim(value)
  }
  return out
}

function flattenClaim(value: unknown): string {
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return `[${value.map(flattenClaim).join(' ')}]`
  if (value === null || typeof value !== 'object') return String(value)
  return JSON.stringify(value)
}
