import type { RequestView } from '../events/request-view.ts'
import { parseQuery } from '../http/gateway-request.ts'

/**
 * Identity sources: where an authorizer's identity comes from, in either syntax.
 * REST: `method.request.header.X`, `method.request.querystring.X`, `stageVariables.X`, `context.X`.
 * HTTP API: `$request.header.X`, `$request.querystring.X`, `$stageVariables.X`, `$context.X`.
 */
export type IdentitySourceSyntax = 'rest' | 'http'

export interface IdentitySource {
  /** The expression as configured (trimmed); used in config errors and `explain`. */
  readonly expression: string
  readonly kind: 'header' | 'querystring' | 'stageVariable' | 'context'
  /** Header names are lower-cased (they match case-insensitively); the rest are kept as written. */
  readonly name: string
}

export class IdentitySourceError extends Error {
  readonly expression: string

  constructor(expression: string, expected: string) {
    super(`identity source '${expression}': ${expected}`)
    this.name = 'IdentitySourceError'
    this.expression = expression
  }
}

const PREFIXES: Record<IdentitySourceSyntax, readonly (readonly [string, IdentitySource['kind']])[]> = {
  rest: [
    ['method.request.header.', 'header'],
    ['method.request.querystring.', 'querystring'],
    ['stageVariables.', 'stageVariable'],
    ['context.', 'context'],
  ],
  http: [
    ['$request.header.', 'header'],
    ['$request.querystring.', 'querystring'],
    ['$stageVariables.', 'stageVariable'],
    ['$context.', 'context'],
  ],
}

export function parseIdentitySource(raw: string, syntax: IdentitySourceSyntax): IdentitySource {
  const expression = raw.trim()
  for (const [prefix, kind] of PREFIXES[syntax]) {
    if (!expression.startsWith(prefix)) continue
    const name = expression.slice(prefix.length)
    if (name === '' || /\s/.test(name))
      throw new IdentitySourceError(expression, `expected a name after '${prefix}'`)
    if (kind === 'context' && !(name in CONTEXT_VARIABLES)) {
      throw new IdentitySourceError(
        expression,
        `unsupported context variable; known: ${Object.keys(CONTEXT_VARIABLES).join(', ')}`,
      )
    }
    return { expression, kind, name: kind === 'header' ? name.toLowerCase() : name }
  }
  const forms = PREFIXES[syntax].map(([p]) => `${p}<name>`).join(', ')
  // The two syntaxes are easy to mix up: name the form this API kind wants.
  const other = syntax === 'rest' ? 'http' : 'rest'
  const index = PREFIXES[other].findIndex(([p]) => expression.startsWith(p))
  if (index >= 0) {
    const [otherPrefix] = PREFIXES[other][index]!
    const [prefix] = PREFIXES[syntax][index]!
    const api = syntax === 'rest' ? 'REST APIs' : 'HTTP APIs'
    throw new IdentitySourceError(
      expression,
      `${api} write identity sources as ${forms}: use '${prefix}${expression.slice(otherPrefix.length)}'`,
    )
  }
  throw new IdentitySourceError(expression, `expected one of ${forms}`)
}

/** Parses a comma-separated list (REST, OpenAPI) or an array (HTTP API) of expressions. */
export function parseIdentitySources(
  raw: string | readonly string[],
  syntax: IdentitySourceSyntax,
): IdentitySource[] {
  if (typeof raw === 'string' && raw.trim() === '') return []
  const items = typeof raw === 'string' ? raw.split(',') : raw.flatMap((item) => item.split(','))
  return items.map((item) => parseIdentitySource(item, syntax))
}

type ContextReader = (view: RequestView) => string | undefined

const CONTEXT_VARIABLES: Record<string, ContextReader> = {
  accountId: (v) => v.deployment.accountId,
  apiId: (v) => v.deployment.apiId,
  httpMethod: (v) => v.request.method,
  'http.method': (v) => v.request.method,
  'http.path': (v) => v.request.path,
  'http.protocol': (v) => v.request.protocol,
  'http.sourceIp': (v) => v.request.sourceIp,
  'identity.sourceIp': (v) => v.request.sourceIp,
  'identity.userAgent': (v) => last(v.request.headers.get('user-agent')),
  path: (v) => v.request.path,
  protocol: (v) => v.request.protocol,
  requestId: (v) => v.request.requestId,
  resourceId: (v) => v.deployment.resourceId,
  resourcePath: (v) => v.resourcePath,
  routeKey: (v) => v.routeKey,
  stage: (v) => v.stage,
}

function last(values: readonly string[] | undefined): string | undefined {
  return values === undefined ? undefined : values[values.length - 1]
}

export type IdentityValues =
  | { readonly ok: true; readonly values: readonly string[] }
  /** `values` holds what was read before the missing source, for `explain`. */
  | { readonly ok: false; readonly missing: string; readonly values: readonly string[] }

/**
 * Reads every source's value. REST single values take the last occurrence of a repeated
 * header or query key; HTTP APIs join repeated values with commas, as their events do.
 * The first source that is absent or empty is reported, and the caller answers 401
 * without invoking the authorizer: all sources are required, there is no "any of".
 */
export function readIdentityValues(
  sources: readonly IdentitySource[],
  view: RequestView,
  syntax: IdentitySourceSyntax,
): IdentityValues {
  const values: string[] = []
  let query: Map<string, string[]> | undefined
  for (const source of sources) {
    let value: string | undefined
    switch (source.kind) {
      case 'header': {
        const all = view.request.headers.get(source.name)
        value = syntax === 'rest' ? last(all) : all?.join(',')
        break
      }
      case 'querystring': {
        query ??= parseQuery(view.request.rawQuery)
        const all = query.get(source.name)
        value = syntax === 'rest' ? last(all) : all?.join(',')
        break
      }
      case 'stageVariable':
        value = view.stageVariables?.[source.name]
        break
      case 'context':
        value = CONTEXT_VARIABLES[source.name]?.(view)
        break
    }
    if (value === undefined || value === '') return { ok: false, missing: source.expression, values }
    values.push(value)
  }
  return { ok: true, values }
}
