/**
 * API Gateway's routing: resource templates with `{param}` (one segment) and a trailing
 * greedy `{name+}` (one or more segments), matched segment by segment with the most specific
 * candidate first: a literal beats a parameter, a parameter beats a greedy variable, and an
 * explicit method beats `ANY`. Lookups are O(path depth), whatever the number of routes.
 */
export interface RouteMatch<T> {
  readonly value: T
  readonly resourcePath: string
  readonly pathParameters: Readonly<Record<string, string>> | null
}

interface Node<T> {
  readonly literal: Map<string, Node<T>>
  param: { readonly name: string; readonly node: Node<T> } | undefined
  greedy:
    | { readonly name: string; readonly methods: Map<string, T>; readonly resourcePath: string }
    | undefined
  readonly methods: Map<string, T>
  resourcePath: string
}

const newNode = <T>(resourcePath: string): Node<T> => ({
  literal: new Map(),
  param: undefined,
  greedy: undefined,
  methods: new Map(),
  resourcePath,
})

export class DuplicateRouteError extends Error {}

export class Router<T> {
  readonly #root: Node<T> = newNode('/')
  #fallback: T | undefined

  /** `method` is an upper-case verb or `ANY`; `resourcePath` an API Gateway template. */
  add(method: string, resourcePath: string, value: T): void {
    const segments = resourcePath.split('/').filter((s) => s !== '')
    let node = this.#root
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!
      const variable = /^\{([^{}]+)\}$/.exec(seg)?.[1]
      if (variable?.endsWith('+')) {
        if (i !== segments.length - 1)
          throw new DuplicateRouteError(`greedy variable {${variable}} must be the last segment`)
        node.greedy ??= { name: variable.slice(0, -1), methods: new Map(), resourcePath }
        if (node.greedy.name !== variable.slice(0, -1)) {
          throw new DuplicateRouteError(
            `{${variable}} conflicts with {${node.greedy.name}+} at the same position`,
          )
        }
        this.#set(node.greedy.methods, method, value, resourcePath)
        return
      }
      if (variable !== undefined) {
        node.param ??= { name: variable, node: newNode('') }
        if (node.param.name !== variable) {
          throw new DuplicateRouteError(
            `{${variable}} conflicts with {${node.param.name}} at the same position`,
          )
        }
        node = node.param.node
      } else {
        let next = node.literal.get(seg)
        if (next === undefined) {
          next = newNode('')
          node.literal.set(seg, next)
        }
        node = next
      }
    }
    node.resourcePath = resourcePath === '' ? '/' : resourcePath
    this.#set(node.methods, method, value, resourcePath)
  }

  /** The HTTP API `$default` route: answers whatever nothing else matched. */
  setFallback(value: T): void {
    this.#fallback = value
  }

  #set(methods: Map<string, T>, method: string, value: T, resourcePath: string): void {
    if (methods.has(method)) throw new DuplicateRouteError(`${method} ${resourcePath} is defined twice`)
    methods.set(method, value)
  }

  find(method: string, path: string): RouteMatch<T> | undefined {
    const segments = path.split('/')
    // The leading '' is not a segment; a trailing '' (trailing slash) is ignored for matching.
    const end =
      segments.length > 1 && segments[segments.length - 1] === '' ? segments.length - 1 : segments.length
    const params: [string, string][] = []
    return this.#walk(this.#root, segments, 1, end, method, params) ?? this.#fallbackMatch()
  }

  #fallbackMatch(): RouteMatch<T> | undefined {
    return this.#fallback === undefined
      ? undefined
      : { value: this.#fallback, resourcePath: '$default', pathParameters: null }
  }

  #walk(
    node: Node<T>,
    segments: readonly string[],
    i: number,
    end: number,
    method: string,
    params: [string, string][],
  ): RouteMatch<T> | undefined {
    if (i === end) {
      const value = node.methods.get(method) ?? node.methods.get('ANY')
      return value === undefined
        ? undefined
        : { value, resourcePath: node.resourcePath, pathParameters: toRecord(params) }
    }
    const seg = segments[i]!
    const literal = node.literal.get(seg)
    if (literal !== undefined) {
      const found = this.#walk(literal, segments, i + 1, end, method, params)
      if (found !== undefined) return found
    }
    if (node.param !== undefined && seg !== '') {
      params.push([node.param.name, seg])
      const found = this.#walk(node.param.node, segments, i + 1, end, method, params)
      if (found !== undefined) return found
      params.pop()
    }
    if (node.greedy !== undefined) {
      const value = node.greedy.methods.get(method) ?? node.greedy.methods.get('ANY')
      if (value !== undefined) {
        params.push([node.greedy.name, segments.slice(i, end).join('/')])
        const match = { value, resourcePath: node.greedy.resourcePath, pathParameters: toRecord(params) }
        params.pop()
        return match
      }
    }
    return undefined
  }
}

/** Parameter values reach integrations decoded, as API Gateway passes them [inferred]. */
function toRecord(params: readonly [string, string][]): Record<string, string> | null {
  if (params.length === 0) return null
  const out: Record<string, string> = {}
  for (const [k, v] of params) out[k] = v.includes('%') ? decodeURIComponent(v) : v
  return out
}
