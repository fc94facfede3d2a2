/**
 * How a value prints inside a template: Velocity calls Java's `toString()`, so a map prints as
 * `{a=1, b=2}`, a list as `[1, 2]`, and null as nothing (API Gateway renders a null reference
 * as an empty string rather than the reference's text).
 */
export function toVtlString(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return `[${value.map(toVtlString).join(', ')}]`
  if (typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${toVtlString(v)}`)
      .join(', ')}}`
  return String(value)
}
