/** Segments and slashes of characters that encodeURIComponent never escapes. */
const UNCHANGED_BY_ENCODING = /^[A-Za-z0-9\-_.!~*'()/]*$/

export interface UriTemplate {
  readonly origin: string
  readonly host: string
  /** Request path for the upstream: `{name}` placeholders filled, the client's query appended. */
  path(pathParameters: Readonly<Record<string, string>> | null, rawQuery: string): string
}

/**
 * Splits an integration URI such as `http://orders.internal:8081/v1/{proxy}` once at start-up.
 * Placeholders take path parameters by name (`{proxy}` also answers to a `{proxy+}` route);
 * values are re-encoded per segment so a parameter can never add a segment or a query.
 */
export function compileUriTemplate(uri: string): UriTemplate {
  const url = new URL(uri)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`not an http(s) URI: ${uri}`)
  const parts = decodeURI(url.pathname).split(/(\{[^}]+\})/)
  const baseQuery = url.search.slice(1)
  return {
    origin: url.origin,
    host: url.host,
    path(params, rawQuery) {
      let path = ''
      for (const part of parts) {
        if (part.startsWith('{') && part.endsWith('}')) {
          const name = part.slice(1, -1).replace(/\+$/, '')
          const value = params?.[name] ?? params?.[`${name}+`] ?? ''
          // Only characters encodeURIComponent leaves alone: encoding would return the value.
          path += UNCHANGED_BY_ENCODING.test(value)
            ? value
            : value
                .split('/')
                .map((s) => encodeURIComponent(s))
                .join('/')
        } else {
          path += encodeURI(part)
        }
      }
      const query = baseQuery === '' ? rawQuery : rawQuery === '' ? baseQuery : `${baseQuery}&${rawQuery}`
      return query === '' ? path || '/' : `${path || '/'}?${query}`
    },
  }
}
