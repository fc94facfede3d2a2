/**
 * `requestParameters` and `responseParameters`: API Gateway's mapping expressions, compiled
 * once into readers. A target is `integration.request.{header|querystring|path}.NAME` (request
 * side) or `method.response.header.NAME` (response side); a source is a `'literal'`,
 * `method.request.{path|querystring|header|multivaluequerystring|multivalueheader}.NAME`,
 * `method.request.body[.JSONPath]`, `integration.response.header.NAME`,
 * `integration.response.body[.JSONPath]`, `context.NAME[.NAME…]` or `stageVariables.NAME`.
 * A source with no value maps to nothing (the target is left out).
 */
import { evaluateJsonPath, parseJsonPath } from './json-path.ts'
import { parseJsonPayload } from './json-payload.ts'

export interface MappingSources {
  readonly path?: Readonly<Record<string, string>>
  readonly querystring?: Readonly<Record<string, readonly string[]>>
  /** Header names lower-cased. */
  readonly header?: Readonly<Record<string, readonly string[]>>
  readonly body?: string
  readonly context?: Readonly<Record<string, unknown>>
  readonly stageVariables?: Readonly<Record<string, string>>
  /** Integration response (response side); header names lower-cased. */
  readonly responseHeader?: Readonly<Record<string, readonly string[]>>
  readonly responseBody?: string
}

export type ParameterTarget = { readonly location: 'header' | 'querystring' | 'path'; readonly name: string }

export interface ParameterMapping {
  readonly target: ParameterTarget
  readonly source: string
  read(sources: MappingSources): string | undefined
}

export class MappingExpressionError extends Error {
  override name = 'MappingExpressionError'
}

const REQUEST_TARGET = /^integration\.request\.(header|querystring|path)\.(.+)$/
const RESPONSE_TARGET = /^method\.response\.header\.(.+)$/

export function parseTarget(key: string, side: 'request' | 'response'): ParameterTarget {
  if (side === 'request') {
    const m = REQUEST_TARGET.exec(key)
    if (m === null)
      throw new MappingExpressionError(
        `expected integration.request.{header|querystring|path}.NAME, found ${key}`,
      )
    return { location: m[1] as ParameterTarget['location'], name: m[2]! }
  }
  const m = RESPONSE_TARGET.exec(key)
  if (m === null) throw new MappingExpressionError(`expected method.response.header.NAME, found ${key}`)
  return { location: 'header', name: m[1]! }
}

function bodyReader(expression: string, rest: string, pick: (s: MappingSources) => string | undefined) {
  if (rest === '') return pick
  const path = (() => {
    try {
      return parseJsonPath(`$${rest}`)
    } catch (e) {
      throw new MappingExpressionError(`${expression}: ${(e as Error).message}`)
    }
  })()
  return (s: MappingSources): string | undefined => {
    const text = pick(s)
    if (text === undefined) return undefined
    let root: unknown
    try {
      root = parseJsonPayload(text)
    } catch {
      return undefined
    }
    const v = evaluateJsonPath(path, root)
    if (v === undefined || v === null) return undefined
    return typeof v === 'object' ? JSON.stringify(v) : String(v)
  }
}

function contextReader(names: readonly string[]) {
  return (s: MappingSources): string | undefined => {
    let node: unknown = s.context
    for (const n of names) {
      if (typeof node !== 'object' || node === null || !Object.hasOwn(node, n)) return undefined
      node = (node as Record<string, unknown>)[n]
    }
    if (node === undefined || node === null) return undefined
    return typeof node === 'object' ? JSON.stringify(node) : String(node)
  }
}

const first = (m: Readonly<Record<string, readonly string[]>> | undefined, name: string) => {
  const values = m?.[name]
  return values === undefined ? undefined : values.at(-1)
}

/** Compiles one source expression; throws MappingExpressionError for one API Gateway refuses. */
export function compileSource(
  expression: string,
  side: 'request' | 'response',
): (s: MappingSources) => string | undefined {
  const literal = /^'(.*)'$/s.exec(expression)
  if (literal !== null) {
    const value = literal[1]!
    return () => value
  }
  let m = /^method\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\.(.+)$/.exec(
    expression,
  )
  if (m !== null) {
    const name = m[2]!
    switch (m[1]) {
      case 'path':
        return (s) => (s.path !== undefined && Object.hasOwn(s.path, name) ? s.path[name] : undefined)
      case 'querystring':
        return (s) => first(s.querystring, name)
      case 'header':
        return (s) => first(s.header, name.toLowerCase())
      case 'multivaluequerystring':
        return (s) => s.querystring?.[name]?.join(',')
      default:
        return (s) => s.header?.[name.toLowerCase()]?.join(',')
    }
  }
  m = /^method\.request\.body(.*)$/.exec(expression)
  if (m !== null && side === 'request') return bodyReader(expression, m[1]!, (s) => s.body)
  m = /^integration\.response\.(header|multivalueheader)\.(.+)$/.exec(expression)
  if (m !== null && side === 'response') {
    const name = m[2]!.toLowerCase()
    return m[1] === 'header'
      ? (s) => first(s.responseHeader, name)
      : (s) => s.responseHeader?.[name]?.join(',')
  }
  m = /^integration\.response\.body(.*)$/.exec(expression)
  if (m !== null && side === 'response') return bodyReader(expression, m[1]!, (s) => s.responseBody)
  m = /^stageVariables\.(.+)$/.exec(expression)
  if (m !== null) {
    const name = m[1]!
    return (s) =>
      s.stageVariables !== undefined && Object.hasOwn(s.stageVariables, name)
        ? s.stageVariables[name]
        : undefined
  }
  m = /^context\.(.+)$/.exec(expression)
  if (m !== null) return contextReader(m[1]!.split('.'))
  throw new MappingExpressionError(
    side === 'request'
      ? `expected 'literal', method.request.*, context.*, or stageVariables.*, found ${expression}`
      : `expected 'literal', integration.response.header.*, integration.response.body[.path], context.*, or stageVariables.*, found ${expression}`,
  )
}

export function compileParameterMappings(
  entries: Iterable<readonly [string, string]>,
  side: 'request' | 'response',
): ParameterMapping[] {
  const out: ParameterMapping[] = []
  for (const [key, source] of entries) {
    const target = parseTarget(key, side)
    out.push({ target, source, read: compileSource(source, side) })
  }
  return out
}

/** Runs the mappings: the list of `[target, value]` for the targets that got a value. */
export function applyParameterMappings(
  mappings: readonly ParameterMapping[],
  sources: MappingSources,
): [ParameterTarget, string][] {
  const out: [ParameterTarget, string][] = []
  for (const m of mappings) {
    const value = m.read(sources)
    if (value !== undefined) out.push([m.target, value])
  }
  return out
}
