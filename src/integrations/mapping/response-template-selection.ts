/**
 * Which response template runs: the first media type of the client's `Accept` header that has
 * a template, else the `application/json` template, else the first one declared. The chosen
 * media type is the response's Content-Type; with no template the integration's body passes
 * through as `application/json`.
 */
import { mediaTypeOf } from './request-template-selection.ts'

export function selectResponseTemplate<T>(
  templates: ReadonlyMap<string, T>,
  accept: string | undefined,
): { readonly contentType: string; readonly template: T | undefined } {
  if (templates.size === 0) return { contentType: 'application/json', template: undefined }
  // One template is the choice whatever Accept says: a match, or else the fallback.
  if (templates.size === 1) {
    const [contentType, template] = templates.entries().next().value as [string, T]
    return { contentType, template }
  }
  for (const part of (accept ?? '').split(',')) {
    const type = mediaTypeOf(part)
    const t = templates.get(type)
    if (part.trim() !== '' && t !== undefined) return { contentType: type, template: t }
  }
  const json = templates.get('application/json')
  if (json !== undefined) return { contentType: 'application/json', template: json }
  const [type, template] = templates.entries().next().value as [string, T]
  return { contentType: type, template }
}
