/**
 * What "try it" may send: the methods an API route takes, and a request body only with those
 * that carry one. Everything else the form brings is ignored, not forwarded.
 */
export const TRY_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const
export type TryMethod = (typeof TRY_METHODS)[number]

export function tryMethod(value: string | null | undefined): TryMethod {
  const upper = (value ?? 'GET').toUpperCase()
  return (TRY_METHODS as readonly string[]).includes(upper) ? (upper as TryMethod) : 'GET'
}

export function carriesBody(method: TryMethod): boolean {
  return method !== 'GET' && method !== 'DELETE'
}

/** A route of the API document, as "try it" lists it: `ANY` and `$default` read as any method. */
export interface TryRoute {
  readonly method: string
  readonly path: string
}

/** JSON shown indented, whatever the server's spacing; anything else as it came. */
export function prettyBody(body: string, contentType: string | undefined): string {
  const json = /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType ?? '') || /^\s*[[{]/.test(body)
  if (!json || body.trim() === '') return body
  try {
    return JSON.stringify(JSON.parse(body), null, 2)
  } catch {
    return body
  }
}
