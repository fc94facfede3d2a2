/**
 * The JSONPath that `$input.path(x)` and `$input.json(x)` take: API Gateway evaluates it with
 * Jayway JsonPath. This is a small evaluator of the subset templates use (`$`, `.a`, `['a']`,
 * `[0]`, `[-1]`, `[*]`, `.*`, `..a`, `[0,2]`, `[1:3]`, `[?(@.a > 1)]`), written as a parser and
 * a walker: nothing here builds code from the path. A path with a wildcard, deep scan, union,
 * slice or filter is indefinite and yields a list, as in Jayway; a definite path yields the
 * value or `undefined`.
 */

type Step =
  | { readonly kind: 'child'; readonly names: readonly string[] }
  | { readonly kind: 'index'; readonly indexes: readonly number[] }
  | { readonly kind: 'slice'; readonly start?: number; readonly end?: number }
  | { readonly kind: 'wildcard' }
  /** `..name`; with no name (`..[…]`) the node itself and every descendant. */
  | { readonly kind: 'deep'; readonly name: string | undefined }
  /** `..*`: every descendant, not the node itself (Jayway leaves the root out). */
  | { readonly kind: 'descendants' }
  | { readonly kind: 'filter'; readonly test: (item: unknown) => boolean }

export interface JsonPath {
  readonly steps: readonly Step[]
  readonly definite: boolean
}

export class JsonPathSyntaxError extends Error {
  override name = 'JsonPathSyntaxError'
}

const NAME = /^[A-Za-z0-9_$@\-\u0080-\uffff]+/

export function parseJsonPath(text: string): JsonPath {
  const trimmed = text.trim()
  // Jayway reads a path without the root as one below it: `name` is `$.name`, `[0]` is `$[0]`.
  const src = trimmed.startsWith('$')
    ? trimmed
    : trimmed.startsWith('[')
      ? `$${trimmed}`
      : trimmed.startsWith('.')
        ? `$${trimmed}`
        : `$.${trimmed}`
  if (src === '$.') throw new JsonPathSyntaxError(`empty JSONPath: ${text}`)
  const steps: Step[] = []
  let i = 1
  while (i < src.length) {
    const rest = src.slice(i)
    if (rest.startsWith('..')) {
      i += 2
      if (src[i] === '*') {
        i++
        steps.push({ kind: 'descendants' })
        continue
      }
      if (src[i] === '[') {
        steps.push({ kind: 'deep', name: undefined })
        continue
      }
      const m = NAME.exec(src.slice(i))
      if (m === null) throw new JsonPathSyntaxError(`expected a name after '..' in ${text}`)
      steps.push({ kind: 'deep', name: m[0] })
      i += m[0].length
      continue
    }
    if (rest.startsWith('.')) {
      i++
      if (src[i] === '*') {
        i++
        steps.push({ kind: 'wildcard' })
        continue
      }
      const m = NAME.exec(src.slice(i))
      if (m === null) throw new JsonPathSyntaxError(`expected a name after '.' in ${text}`)
      steps.push({ kind: 'child', names: [m[0]] })
      i += m[0].length
      continue
    }
    if (rest.startsWith('[')) {
      const close = findClose(src, i)
      steps.push(parseBracket(src.slice(i + 1, close).trim(), text))
      i = close + 1
      continue
    }
    throw new JsonPathSyntaxError(`unexpected '${src[i]}' at ${i} in ${text}`)
  }
  const definite = steps.every(
    (s) => (s.kind === 'child' && s.names.length === 1) || (s.kind === 'index' && s.indexes.length === 1),
  )
  return { steps, definite }
}

function findClose(src: string, open: number): number {
  let quote: string | undefined
  let depth = 0
  for (let j = open; j < src.length; j++) {
    const c = src[j]
    if (quote !== undefined) {
      if (c === '\\') j++
      else if (c === quote) quote = undefined
    } else if (c === "'" || c === '"') quote = c
    else if (c === '[' || c === '(') depth++
    else if (c === ']' || c === ')') {
      depth--
      if (depth === 0 && c === ']') return j
    }
  }
  throw new JsonPathSyntaxError(`unclosed '[' in ${src}`)
}

function parseBracket(inner: string, text: string): Step {
  if (inner === '*') return { kind: 'wildcard' }
  if (inner.startsWith('?')) return { kind: 'filter', test: parseFilter(inner.slice(1).trim(), text) }
  if (inner.startsWith("'") || inner.startsWith('"')) {
    return { kind: 'child', names: splitTop(inner).map((part) => unquote(part, text)) }
  }
  if (/^-?\d*\s*:\s*-?\d*$/.test(inner)) {
    const [a, b] = inner.split(':').map((s) => s.trim())
    return {
      kind: 'slice',
      ...(a === '' || a === undefined ? {} : { start: Number(a) }),
      ...(b === '' || b === undefined ? {} : { end: Number(b) }),
    }
  }
  const parts = splitTop(inner)
  if (parts.every((p) => /^-?\d+$/.test(p))) return { kind: 'index', indexes: parts.map(Number) }
  throw new JsonPathSyntaxError(`unsupported bracket [${inner}] in ${text}`)
}

function splitTop(inner: string): string[] {
  const parts: string[] = []
  let quote: string | undefined
  let start = 0
  for (let j = 0; j < inner.length; j++) {
    const c = inner[j]
    if (quote !== undefined) {
      if (c === '\\') j++
      else if (c === quote) quote = undefined
    } else if (c === "'" || c === '"') quote = c
    else if (c === ',') {
      parts.push(inner.slice(start, j).trim())
      start = j + 1
    }
  }
  parts.push(inner.slice(start).trim())
  return parts
}

function unquote(part: string, text: string): string {
  const q = part[0]
  if ((q !== "'" && q !== '"') || part.at(-1) !== q || part.length < 2)
    throw new JsonPathSyntaxError(`expected a quoted name, found ${part} in ${text}`)
  return part.slice(1, -1).replace(/\\(.)/g, '$1')
}

const COMPARE = /^@((?:\.[A-Za-z0-9_$-]+|\[(?:'[^']*'|"[^"]*"|\d+)\])*)\s*(==|!=|<=|>=|<|>)\s*(.+)$/
const EXISTS = /^@((?:\.[A-Za-z0-9_$-]+|\[(?:'[^']*'|"[^"]*"|\d+)\])+)$/

function parseFilter(expr: string, text: string): (item: unknown) => boolean {
  if (!expr.startsWith('(') || !expr.endsWith(')'))
    throw new JsonPathSyntaxError(`expected ?(...) in ${text}`)
  const body = expr.slice(1, -1).trim()
  const exists = EXISTS.exec(body)
  if (exists !== null) {
    const path = parseJsonPath(`$${exists[1]}`)
    return (item) => evaluateJsonPath(path, item) !== undefined
  }
  const m = COMPARE.exec(body)
  if (m === null) throw new JsonPathSyntaxError(`unsupported filter ${body} in ${text}`)
  const path = parseJsonPath(`$${m[1]}`)
  const op = m[2]!
  const literal = parseLiteral(m[3]!.trim(), text)
  return (item) => {
    const v = evaluateJsonPath(path, item)
    switch (op) {
      case '==':
        return v === literal
      case '!=':
        return v !== literal
      default:
        if (typeof v !== typeof literal || (typeof v !== 'number' && typeof v !== 'string')) return false
        if (op === '<') return (v as number) < (literal as number)
        if (op === '<=') return (v as number) <= (literal as number)
        if (op === '>') return (v as number) > (literal as number)
        return (v as number) >= (literal as number)
    }
  }
}

function parseLiteral(raw: string, text: string): unknown {
  if (raw === 'true') return true
  if (raw === 'false') return false
  if (raw === 'null') return null
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) return Number(raw)
  if ((raw.startsWith("'") && raw.endsWith("'")) || (raw.startsWith('"') && raw.endsWith('"')))
    return unquote(raw, text)
  throw new JsonPathSyntaxError(`unsupported literal ${raw} in ${text}`)
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function child(node: unknown, name: string): unknown {
  return isRecord(node) && Object.hasOwn(node, name) ? node[name] : undefined
}

function applyStep(step: Step, nodes: readonly unknown[]): unknown[] {
  const out: unknown[] = []
  for (const node of nodes) {
    switch (step.kind) {
      case 'child':
        for (const name of step.names) {
          const v = child(node, name)
          if (v !== undefined) out.push(v)
        }
        break
      case 'index':
        if (Array.isArray(node))
          for (const i of step.indexes) {
            const v = node[i < 0 ? node.length + i : i]
            if (v !== undefined) out.push(v)
          }
        break
      case 'slice':
        if (Array.isArray(node)) out.push(...node.slice(step.start, step.end))
        break
      case 'wildcard':
        if (Array.isArray(node)) out.push(...node)
        else if (isRecord(node)) out.push(...Object.values(node))
        break
      case 'filter':
        if (Array.isArray(node)) out.push(...node.filter(step.test))
        else if (isRecord(node) && step.test(node)) out.push(node)
        break
      case 'deep':
        collectDeep(node, step.name, out)
        break
      case 'descendants':
        collectDescendants(node, out)
        break
    }
  }
  return out
}

function collectDeep(node: unknown, name: string | undefined, out: unknown[]): void {
  if (Array.isArray(node)) {
    if (name === undefined) out.push(node)
    for (const v of node) collectDeep(v, name, out)
  } else if (isRecord(node)) {
    if (name === undefined) out.push(node)
    else if (Object.hasOwn(node, name)) out.push(node[name])
    for (const v of Object.values(node)) collectDeep(v, name, out)
  }
}

/** Every value below `node`, depth first, each before its own children. */
function collectDescendants(node: unknown, out: unknown[]): void {
  const children = Array.isArray(node) ? node : isRecord(node) ? Object.values(node) : []
  for (const v of children) {
    out.push(v)
    collectDescendants(v, out)
  }
}

/** A definite path gives the value (or `undefined`); an indefinite one gives the list of matches. */
export function evaluateJsonPath(path: JsonPath, root: unknown): unknown {
  let nodes: unknown[] = [root]
  for (const step of path.steps) nodes = applyStep(step, nodes)
  return path.definite ? nodes[0] : nodes
}
