/**
 * `$input`: the method request as API Gateway shows it to a template. `$input.body` is the raw
 * payload, `$input.json(x)` a JSONPath result as JSON text, `$input.path(x)` the same result as
 * an object (map, list, string, number), `$input.params()` the map of `path`, `querystring` and
 * `header` maps, and `$input.params(x)` one parameter looked up in path, then query string,
 * then header.
 */
import { hostObject } from './java-methods.ts'
import { evaluateJsonPath, type JsonPath, parseJsonPath } from './json-path.ts'
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

/** A JSON document copied as a template may change it: objects, arrays and primitives only. */
function copyJson(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v
  if (Array.isArray(v)) return v.map(copyJson)
  const out: Record<string, unknown> = {}
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue
    const value = copyJson((v as Record<string, unknown>)[k])
    // JSON may carry an own "__proto__" key: it stays data, never a prototype.
    if (k === '__proto__')
      Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true })
    else out[k] = value
  }
  return out
}

/**
 * @param parsed the body already parsed (a Lambda's result), so it is not serialised and
 *   parsed again; it is only read, never changed.
 */
export function createInputVariable(
  body: string,
  params: MethodRequestParams,
  preParsed?: { readonly value: unknown },
): object {
  let parsed: { value: unknown } | undefined = preParsed
  // An empty payload reads as `{}` on API Gateway; a payload that is not JSON reads as null.
  const root = (): unknown => {
    if (parsed === undefined) {
      if (body.trim() === '') parsed = { value: {} }
      else {
        try {
          parsed = { value: JSON.parse(body) }
        } catch {
          parsed = { value: undefined }
        }
      }
    }
    return parsed.value
  }
  const path = (x: unknown): unknown => {
    const result = evaluateJsonPath(compiledPath(String(x ?? '$')), root())
    // Each call returns its own copy, so a template's #set on one result leaves the body alone.
    return result === undefined ? undefined : copyJson(result)
  }
  return hostObject(
    { body: body === '' ? '{}' : body },
    {
      json: (x: unknown) => {
        const result = evaluateJsonPath(compiledPath(String(x ?? '$')), root())
        return result === undefined ? '' : JSON.stringify(result)
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
