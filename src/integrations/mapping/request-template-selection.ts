/**
 * Which request template runs, by the request's Content-Type and the integration's
 * `passthroughBehavior`, as API Gateway's "integration passthrough behaviors" tables state:
 * a request without Content-Type counts as `application/json`; a matching template transforms
 * the payload; otherwise WHEN_NO_MATCH passes the payload through untouched, WHEN_NO_TEMPLATES
 * passes it only when the integration has no template at all, and NEVER always refuses with
 * 415 `{"message":"Unsupported Media Type"}`.
 */

export type PassthroughBehavior = 'WHEN_NO_MATCH' | 'WHEN_NO_TEMPLATES' | 'NEVER'

export type TemplateChoice<T> =
  | { readonly kind: 'template'; readonly contentType: string; readonly template: T }
  | { readonly kind: 'passthrough' }
  | { readonly kind: 'unsupported-media-type' }

/** The media type without parameters, lower-cased: `Application/JSON; charset=utf-8` → `application/json`. */
export function mediaTypeOf(contentType: string | undefined): string {
  if (contentType === undefined) return 'application/json'
  // Clients repeat a handful of Content-Type and Accept values: each is parsed once.
  const hit = MEDIA_TYPES.get(contentType)
  if (hit !== undefined) return hit
  const parsed = contentType.split(';')[0]?.trim().toLowerCase() ?? ''
  const type = parsed === '' ? 'application/json' : parsed
  if (MEDIA_TYPES.size >= MAX_CACHED) MEDIA_TYPES.clear()
  MEDIA_TYPES.set(contentType, type)
  return type
}

const MAX_CACHED = 256
const MEDIA_TYPES = new Map<string, string>()

export function selectRequestTemplate<T>(
  templates: ReadonlyMap<string, T>,
  contentType: string | undefined,
  behavior: PassthroughBehavior,
): TemplateChoice<T> {
  const type = mediaTypeOf(contentType)
  const template = templates.get(type)
  if (template !== undefined) return { kind: 'template', contentType: type, template }
  if (behavior === 'WHEN_NO_MATCH') return { kind: 'passthrough' }
  if (behavior === 'WHEN_NO_TEMPLATES' && templates.size === 0) return { kind: 'passthrough' }
  return { kind: 'unsupported-media-type' }
}

/** Keys templates by lower-cased media type, so lookups need no normalising of the document. */
export function templatesByMediaType<T>(entries: Iterable<readonly [string, T]>): Map<string, T> {
  const out = new Map<string, T>()
  for (const [type, t] of entries) out.set(mediaTypeOf(type), t)
  return out
}
