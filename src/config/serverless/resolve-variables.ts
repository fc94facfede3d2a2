import { childPointer } from '../source-document.ts'

/** Where `${opt:…}`, `${sls:…}` and `${env:…}` take their values from. */
export interface VariableSources {
  readonly stage: string | undefined
  readonly region: string | undefined
  readonly env: Readonly<Record<string, string | undefined>>
}

export interface VariableProblem {
  readonly pointer: string
  readonly expected: string
}

const VARIABLE = /\$\{([^{}]+)\}/g
const WHOLE = /^\$\{([^{}]+)\}$/
const MAX_NESTING = 5

/**
 * Resolves the Serverless Framework's variables in every string of the service: `${self:a.b}`,
 * `${opt:stage}`, `${opt:region}`, `${sls:stage}`, `${env:NAME}`, each with an optional
 * `, fallback`. A string that is exactly one variable takes the value's type, as the framework
 * does. What cannot be resolved here (`${ssm:…}`, `${cf:…}`, `${file(…)}` without a fallback)
 * is reported with its pointer instead of being left in place.
 */
export function resolveVariables(
  root: unknown,
  sources: VariableSources,
  problems: VariableProblem[],
): unknown {
  const resolving = new Set<string>()
  const lookupSelf = (path: string, pointer: string): unknown => {
    if (resolving.has(path)) {
      problems.push({ pointer, expected: `\${self:${path}} refers to itself` })
      return undefined
    }
    let node: unknown = root
    let nodePointer = ''
    for (const key of path.split('.')) {
      if (node === null || typeof node !== 'object') return undefined
      node = (node as Record<string, unknown>)[key]
      nodePointer = childPointer(nodePointer, key)
    }
    resolving.add(path)
    try {
      return walk(node, nodePointer)
    } finally {
      resolving.delete(path)
    }
  }
  const stage = (): string => sources.stage ?? stageOf(root) ?? 'dev'
  const one = (expression: string, pointer: string): unknown => {
    const [head, ...rest] = splitFallback(expression)
    const fallback = rest.length > 0 ? parseFallback(rest.join(',')) : undefined
    const colon = head!.indexOf(':')
    const source = colon < 0 ? '' : head!.slice(0, colon).trim()
    const key = colon < 0 ? head!.trim() : head!.slice(colon + 1).trim()
    let value: unknown
    if (source === 'self') value = key === '' ? root : lookupSelf(key, pointer)
    else if (source === 'opt')
      value = key === 'stage' ? stage() : key === 'region' ? (sources.region ?? undefined) : undefined
    else if (source === 'sls') value = key === 'stage' ? stage() : key === 'instanceId' ? 'local' : undefined
    else if (source === 'env') value = sources.env[key]
    else if (fallback === undefined) {
      problems.push({
        pointer,
        expected: `\${${head}} cannot be resolved locally (${source || 'this'} variables are not read): give it a fallback, \${${head}, 'value'}`,
      })
      return undefined
    }
    if (value === undefined && fallback !== undefined) return fallback
    if (value === undefined)
      problems.push({ pointer, expected: `\${${expression}} has no value and no fallback` })
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
      for (const [k, v] of Object.entries(node)) out[k] = walk(v, childPointer(pointer, k))
      return out
    }
    return node
  }
  return walk(root, '')
}

function stageOf(root: unknown): string | undefined {
  const provider = (root as { provider?: { stage?: unknown } } | null)?.provider
  const stage = provider?.stage
  return typeof stage === 'string' && !stage.includes('${') ? stage : undefined
}

/** Splits `source:key, 'fallback'` at top-level commas. */
function splitFallback(expression: string): string[] {
  return expression.split(',')
}

function parseFallback(text: string): unknown {
  const t = text.trim()
  const quoted = /^(['"])(.*)\1$/.exec(t)
  if (quoted !== null) return quoted[2]
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t)
  if (t === 'true' || t === 'false') return t === 'true'
  return t
}
