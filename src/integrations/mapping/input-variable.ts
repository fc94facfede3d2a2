/**
 * `$input`: the method request as API Gateway shows it to a template. `$input.body` is the raw
 * payload, `$input.json(x)` a JSONPath result as JSON text, `$input.path(x)` the same result as
 * an object (map, list, string, number), `$input.params()` the map of `path`, `querystring` and
 * `header` maps, and `$input.params(x)` one parameter looked up in path, then query string,
 * then header.
 */
import { hostObject } from './java-methods.ts'
import { evaluateJsonPath, type JsonPath, parseJsonPath } from './json-path.ts'
import { parseJsonPayload } from './json-payload.ts'
import { TemplateRenderError } from './vtl-engine.ts'

export interface MethodRequestParams {
  readonly path: Readonly<Record<string, string>>
  readonly querystring: Readonly<Record<string, string>>
  readonly header: Readonly<Record<string, string>>
}

const MAX_CACHED = 256
const paths = new Map<string, JsonPath>()

function compiledPath(text: string): JsonPath {
  const hit = paths.get(text)
  if (hit !== undefined) return hit
  let path: JsonPath
  try {
    path = parseJsonPath(text)
  } catch (e) {
    throw new TemplateRenderError((e as Error).message)
  }
  if (paths.size >= MAX_CACHED) paths.delete(paths.keys().next().value as string)
  paths.set(text, path)
  return path
}

/** Reads a header case-insensitively, as HTTP header names are. */
function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  if (Object.hasOwn(headers, name)) return headers[name]
  const lower = name.toLowerCase()
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v
  return undefined
}

/**
 * @param preParsed the body already parsed (a Lambda's result, a fresh value owned by this
 *   response), so it is not serialised and parsed again; a template may change it.
 */
export function createInputVariable(
  body: string,
  params: MethodRequestParams,
  preParsed?: { readonly value: unknown },
): object {
  let parsed: { value: unknown } | undefined = preParsed
  // An empty payload reads as `{}` on API Gateway; a payload that is not JSON (a form post,
  // plain text) reads as its text, so `$input.path('$')` is the raw body a template can split.
  const root = (): unknown => {
    if (parsed === undefined) {
      if (body.trim() === '') parsed = { value: {} }
      else {
        try {
          parsed = { value: parseJsonPayload(body) }
        } catch {
          parsed = { value: body }
        }
      }
    }
    return parsed.value
  }
  // `$input.path` hands out the document itself, as API Gateway does: a template that changes
  // it (`#set($body.url = "…")`, `$body.put(…)`) sees the change in a later `$input.json('$')`.
  const path = (x: unknown): unknown => evaluateJsonPath(compiledPath(String(x ?? '$')), root())
  return hostObject(
    { body: body === '' ? '{}' : body },
    {
      json: (x: unknown) => {
        const result = evaluateJsonPath(compiledPath(String(x ?? '$')), root())
        // A path that finds nothing is an empty JSON string on API Gateway: `""`, not nothing.
        return result === undefined ? '""' : JSON.stringify(result)
      },
      path,
      params: (name?: unknown) => {
        if (name === undefined)
          return {
            path: { ...params.path },
            querystring: { ...params.querystring },
            header: { ...params.header },
          }
        const key = String(name)
        if (Object.hasOwn(params.path, key)) return params.path[key]
        if (Object.hasOwn(params.querystring, key)) return params.querystring[key]
        return headerValue(params.header, key) ?? ''
      },
    },
  )
}
