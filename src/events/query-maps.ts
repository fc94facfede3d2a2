import { parseQuery } from '../http/gateway-request.ts'

export interface V1QueryMaps {
  readonly queryStringParameters: Record<string, string> | null
  readonly multiValueQueryStringParameters: Record<string, string[]> | null
}

/** Payload 1.0: decoded values; the single-value map keeps the last value (AWS documents this). */
export function v1QueryMaps(rawQuery: string): V1QueryMaps {
  const parsed = parseQuery(rawQuery)
  if (parsed.size === 0) return { queryStringParameters: null, multiValueQueryStringParameters: null }
  const single = new Map<string, string>()
  for (const [name, values] of parsed) single.set(name, values[values.length - 1]!)
  // Object.fromEntries defines own keys, so `?__proto__=x` is kept like any other parameter.
  return {
    queryStringParameters: Object.fromEntries(single),
    multiValueQueryStringParameters: Object.fromEntries(parsed),
  }
}

/** Payload 2.0: decoded values, repeated keys comma-joined; `undefined` when there is no query. */
export function v2QueryMap(rawQuery: string): Record<string, string> | undefined {
  const parsed = parseQuery(rawQuery)
  if (parsed.size === 0) return undefined
  const out = new Map<string, string>()
  for (const [name, values] of parsed) out.set(name, values.join(','))
  return Object.fromEntries(out)
}
