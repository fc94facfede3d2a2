import { childPointer } from '../source-document.ts'

/** Where `${opt:…}`, `${sls:…}`, `${env:…}`, `${aws:…}` and `${file(…)}` take their values from. */
export interface VariableSources {
  readonly stage: string | undefined
  readonly region: string | undefined
  readonly env: Readonly<Record<string, string | undefined>>
  /**
   * The files `${file(…)}` names, read beforehand (reading stays free of I/O): the path as
   * written → its parsed content (YAML, JSON) or text, or a reason it could not be read.
   */
  readonly files?: ReadonlyMap<string, { readonly value: unknown } | { readonly missing: string }>
  /** Filled with the `${file(…)}` paths met that are not in `files` (paths built from variables). */
  readonly wanted?: Set<string>
}

export interface VariableProblem {
  readonly pointer: string
  readonly expected: string
  /** The string of the service whose resolving met the problem (a `${self:…}` may lead elsewhere). */
  readonly origin: string
}

const VARIABLE = /\$\{([^{}]+)\}/g
const WHOLE = /^\$\{([^{}]+)\}$/
const FILE = /^file\((.+?)\)(?::(.*))?$/
const MAX_NESTING = 5
/** The account of the local deployment, as the function ARNs name it. */
const ACCOUNT = '000000000000'

/**
 * Resolves the Serverless Framework's variables in every string of the service: `${self:a.b}`,
 * `${opt:stage}`, `${opt:region}`, `${sls:stage}`, `${env:NAME}`, `${aws:region}`,
 * `${aws:accountId}`, `${param:x}` (the service's `params`, by stage then `default`),
 * `${file(path)}` and `${file(path):a.b}`, each with an optional
 * `, fallback`. A string that is exactly one variable takes the value's type, as the framework
 * does. What cannot be resolved here (`${ssm:…}`, `${cf:…}` without a fallback) is reported
 * with its pointer and the string that led to it, so that the caller decides what matters.
 */
export function resolveVariables(
  root: unknown,
  sources: VariableSources,
  problems: VariableProblem[],
): unknown {
  const resolving = new Set<string>()
  let origin = ''
  const problem = (pointer: string, expected: string): undefined => {
    if (!problems.some((p) => p.pointer === pointer && p.expected === expected && p.origin === origin))
      problems.push({ pointer, expected, origin })
    return undefined
  }
  const stage = (): string => sources.stage ?? stageOf(root) ?? 'dev'
  const lookup = (node: unknown, path: string, start: string): { node: unknown; pointer: string } => {
    let nodePointer = start
    for (const key of path === '' ? [] : path.split('.')) {
      // `custom.settings: ${file(…)}` stands for an object whose keys are looked up in turn.
      if (typeof node === 'string' && node.includes('${')) node = walk(node, nodePointer)
      if (node === null || typeof node !== 'object') return { node: undefined, pointer: nodePointer }
      node = (node as Record<string, unknown>)[key]
      nodePointer = childPointer(nodePointer, key)
    }
    return { node, pointer: nodePointer }
  }
  // `params:` of the service: the stage's value, else the default one.
  const paramOf = (key: string): unknown => {
    const params = (root as { params?: Record<string, unknown> } | null)?.params
    if (params === null || typeof params !== 'object') return undefined
    for (const group of [stage(), 'default']) {
      const found = lookup(params, `${group}.${key}`, '/params')
      if (found.node !== undefined) return walk(found.node, found.pointer)
    }
    return undefined
  }
  const lookupSelf = (path: string, pointer: string): unknown => {
    if (resolving.has(path)) return problem(pointer, `\${self:${path}} refers to itself`)
    const found = lookup(root, path, '')
    // The framework fills these in before variables are resolved.
    if (found.node === undefined && path === 'provider.stage') return stage()
    if (found.node === undefined && path === 'provider.region') return sources.region ?? 'us-east-1'
    resolving.add(path)
    try {
      return walk(found.node, found.pointer)
    } finally {
      resolving.delete(path)
    }
  }
  const fromFile = (path: string, key: string | undefined, pointer: string): unknown => {
    const file = sources.files?.get(path)
    if (file === undefined) sources.wanted?.add(path)
    if (file === undefined || 'missing' in file)
      return problem(pointer, `\${file(${path})} cannot be read: ${file?.missing ?? 'it was not read'}`)
    return walk(lookup(file.value, key?.trim() ?? '', pointer).node, pointer)
  }
  const one = (expression: string, pointer: string): unknown => {
    const [head, ...rest] = expression.split(',')
    const rawFallback = rest.join(',').trim()
    // `${opt:stage, self:provider.stage}`: a fallback may be another variable, written bare.
    const chained = /^(self|opt|env|sls|aws):|^file\(/.test(rawFallback)
    const fallback = rest.length === 0 ? undefined : chained ? rawFallback : parseFallback(rawFallback)
    const text = head!.trim()
    const file = FILE.exec(text)
    const colon = text.indexOf(':')
    const source = file !== null ? 'file' : colon < 0 ? '' : text.slice(0, colon).trim()
    const key = colon < 0 ? text : text.slice(colon + 1).trim()
    let value: unknown
    if (file !== null) {
      const known = sources.files?.get(file[1]!.trim())
      value =
        fallback !== undefined && (known === undefined || 'missing' in known)
          ? undefined
          : fromFile(file[1]!.trim(), file[2], pointer)
    } else if (source === 'self') value = key === '' ? root : lookupSelf(key, pointer)
    else if (source === 'opt')
      value = key === 'stage' ? stage() : key === 'region' ? (sources.region ?? undefined) : undefined
    else if (source === 'sls') value = key === 'stage' ? stage() : key === 'instanceId' ? 'local' : undefined
    else if (source === 'env') value = sources.env[key]
    else if (source === 'param') value = paramOf(key)
    else if (source === 'aws')
      value =
        key === 'region' ? lookupSelf('provider.region', pointer) : key === 'accountId' ? ACCOUNT : undefined
    else if (fallback === undefined)
      return problem(
        pointer,
        `\${${text}} cannot be resolved locally (${source || 'this'} variables are not read): give it a fallback, \${${text}, 'value'}`,
      )
    if (value === undefined && fallback !== undefined) return chained ? one(rawFallback, pointer) : fallback
    if (value === undefined && file === null)
      problem(pointer, `\${${expression}} has no value and no fallback`)
    return value
  }
  const walk = (node: unknown, pointer: string): unknown => {
    if (typeof node === 'string') {
      // Innermost first: `${self:custom.tables.${sls:stage}}` reads the stage, then the key.
      let text = node
      for (let depth = 0; depth < MAX_NESTING; depth++) {
        const whole = WHOLE.exec(text)
        if (whole !== null) return one(whole[1]!, pointer)
        const next = text.replace(VARIABLE, (_m, expr: string) => {
          const v = one(expr, pointer)
          return v === undefined ? '' : String(v)
        })
        if (next === text) return text
        text = next
      }
      return text
    }
    if (Array.isArray(node)) return node.map((v, i) => walk(v, childPointer(pointer, i)))
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(node)) {
        const resolved = walk(v, childPointer(pointer, k))
        // A value that could not be resolved is reported once, not again as a missing field.
        if (resolved !== undefined) out[k] = resolved
      }
      return out
    }
    return node
  }
  const top = (node: unknown, pointer: string): unknown => {
    if (typeof node === 'string') {
      origin = pointer
      return walk(node, pointer)
    }
    if (Array.isArray(node)) return node.map((v, i) => top(v, childPointer(pointer, i)))
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(node)) {
        const resolved = top(v, childPointer(pointer, k))
        if (resolved !== undefined) out[k] = resolved
      }
      return out
    }
    return node
  }
  return top(root, '')
}

function stageOf(root: unknown): string | undefined {
  const stage = (root as { provider?: { stage?: unknown } } | null)?.provider?.stage
  return typeof stage === 'string' && !stage.includes('${') ? stage : undefined
}

function parseFallback(text: string): unknown {
  const t = text.trim()
  const quoted = /^(['"])(.*)\1$/.exec(t)
  if (quoted !== null) return quoted[2]
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t)
  if (t === 'true' || t === 'false') return t === 'true'
  return t
}
