import { type FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import { childPointer } from '../source-document.ts'

/**
 * Whether the function runs here: Node.js runtimes do. Another runtime is named: at start-up
 * when the function only serves other events, as a problem when an HTTP event needs it.
 */
export function servedRuntime(
  r: FieldReader,
  notes: FieldReader,
  fn: JsonObject,
  pointer: string,
  runtime: string | undefined,
  fromProvider: boolean,
): boolean {
  if (runtime === undefined || runtime.startsWith('nodejs')) return true
  const where = fromProvider ? '/provider/runtime' : childPointer(pointer, 'runtime')
  const http = servesHttp(fn)
  const why = `expected a Node.js runtime (nodejs20.x, nodejs22.x…) for ${pointer.slice('/functions/'.length)}, found '${runtime}': only Node.js handlers run in the gateway`
  if (http) r.fail(where, why)
  else notes.fail(where, `${why}; it serves no HTTP event, so the API is served without it`)
  return false
}

export function servesHttp(fn: JsonObject): boolean {
  const events = Array.isArray(fn.events) ? fn.events : []
  return events.some((e) => isObject(e) && (e.http !== undefined || e.httpApi !== undefined))
}
