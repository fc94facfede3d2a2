/**
 * The Velocity engine under every mapping template: velocityjs, parsed once and rendered per
 * request, with API Gateway's limits and a sandbox.
 *
 * Chosen over amplify-velocity-template by bench/micro/velocity-engines.ts (Node 24, one run):
 *   velocityjs                 parse pets 17 649/s, passthrough 7 318/s; render pets 118 250/s, passthrough 32 099/s
 *   amplify-velocity-template  parse pets 17 117/s, passthrough 7 180/s; render pets  95 495/s, passthrough 27 246/s
 * Both render AWS's documented examples alike (#foreach with $foreach.hasNext, #set, #if,
 * `$input.json('$')` embedding); neither has Java's string methods, which java-methods.ts adds.
 * amplify's fork reaches JavaScript constructors (`$list.constructor.from("ab")` prints
 * `[a, b]`, `$foo.constructor.name` prints `String`); velocityjs blocks `constructor`,
 * `prototype` and `__proto__`. On top of that guard every method call goes through
 * java-methods.ts, so a template calls only listed methods, never a JavaScript function.
 */
import { Compile, parse } from 'velocityjs'
import { callMethod } from './java-methods.ts'
import { toVtlString } from './vtl-string.ts'

/** API Gateway's quota: a `#foreach` runs at most 1,000 iterations. */
export const MAX_FOREACH_ITERATIONS = 1000

type Ast = ReturnType<typeof parse>

interface ForeachScope {
  count: number
  index: number
  hasNext: boolean
  first?: boolean
  last?: boolean
}

interface RefAst {
  readonly id: string
  readonly prue?: boolean
  readonly args?: unknown[] | false
  readonly path?: readonly unknown[]
}

/** References' helpers velocityjs mixes into Compile at run time (its types leave them out). */
interface Mixins {
  getLocal(ast: RefAst): { value: unknown; isLocal: boolean }
  getPropMethod(property: RefAst, baseRef: unknown, ast: RefAst): unknown
  getAttributes(property: unknown, baseRef: unknown, ast: RefAst): unknown
}

export class TemplateSyntaxError extends Error {
  override name = 'TemplateSyntaxError'
  /** 1-based line inside the template. */
  readonly line: number
  constructor(message: string, line: number) {
    super(message)
    this.line = line
  }
}

/** A template that failed while rendering (a limit hit, a bad regex): the request gets a 500. */
export class TemplateRenderError extends Error {
  override name = 'TemplateRenderError'
}

const SANDBOX = [
  {
    uid: 'forcegate-sandbox',
    match: () => true,
    resolve: ({ property, context, params }: { property: string; context: unknown; params: unknown[] }) =>
      callMethod(context, property, params),
  },
]

class LimitedCompile extends Compile {
  // The engine materialises `[1..n]` before looping; refuse ranges past the loop limit.
  override getLiteral(literal: Parameters<Compile['getLiteral']>[0]): ReturnType<Compile['getLiteral']> {
    const value = super.getLiteral(literal)
    if (Array.isArray(value) && value.length > MAX_FOREACH_ITERATIONS)
      throw new TemplateRenderError(`a list literal is longer than ${MAX_FOREACH_ITERATIONS}`)
    return value
  }

  /**
   * Velocity's arithmetic is Java's: two integers divide as integers (`7 / 2` is 3), and a zero
   * divisor gives null rather than Infinity. A decimal literal operand keeps the division real.
   * (The base declares `string`; expressions really yield any value.)
   */
  override getExpression(ast: Parameters<Compile['getExpression']>[0]): string {
    const math = ast as unknown as { type: string; operator?: string; expression?: { type?: string }[] }
    if (math.type !== 'math' || (math.operator !== '/' && math.operator !== '%'))
      return super.getExpression(ast)
    const [l, r] = math.expression as [
      Parameters<Compile['getExpression']>[0],
      Parameters<Compile['getExpression']>[0],
    ]
    const a: unknown = this.getExpression(l)
    const b: unknown = this.getExpression(r)
    // Velocity answers null for a non-number operand or a zero divisor.
    if (typeof a !== 'number' || typeof b !== 'number' || b === 0) return undefined as unknown as string
    if (math.operator === '%') return (a % b) as unknown as string
    const decimal = math.expression?.some((e) => e.type === 'decimal') === true
    const q = !decimal && Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b
    return q as unknown as string
  }

  /**
   * velocityjs's own lookup, less its first step: it prints the reference's whole source text
   * (`$input.params('x')`) to try it as a context key, on every evaluation. The gateway's
   * variables have no such keys, and a reference with no value renders as nothing here.
   */
  override getReferences(node: Parameters<Compile['getReferences']>[0], isVal?: boolean): string {
    const ast = node as unknown as RefAst
    const self = this as unknown as Mixins
    if (ast.prue === true) {
      const define = this.defines[ast.id]
      if (Array.isArray(define)) return this.renderAstList(define)
    }
    const context = this.context as Record<string, unknown>
    let ret: unknown = Object.hasOwn(context, ast.id) ? context[ast.id] : undefined
    if (ret !== undefined && ast.args !== undefined) ret = self.getPropMethod(ast, context, ast)
    const local = self.getLocal(ast)
    if (local.isLocal) ret = local.value
    if (ast.path !== undefined) for (const property of ast.path) ret = self.getAttributes(property, ret, ast)
    return (isVal === true && ret === undefined ? '' : ret) as string
  }

  /**
   * Method calls go straight to java-methods.ts, the only callables a template has; velocityjs's
   * own path (a payload object, a handler search and a debug call per call) ends there too.
   */
  getPropMethod(property: RefAst, baseRef: unknown): unknown {
    // velocityjs writes `args: false` for `$x.m()`.
    const args = Array.isArray(property.args) ? property.args.map((a) => this.getLiteral(a as never)) : []
    return callMethod(baseRef, property.id, args)
  }

  // The #stop() and #eval() macros velocityjs gives every render, made once per engine.
  readonly #macros = {
    stop: (): string => {
      this.runState.stop = true
      return ''
    },
    eval: (str: string, local?: object): string => this.eval(str, local),
  }

  override render(context?: Parameters<Compile['render']>[0], _macros?: unknown, silence?: boolean): string {
    this.silence = silence === true
    this.context = context ?? {}
    this.macros = this.#macros
    return this.renderAstList()
  }

  /** Clears what one render leaves behind (loop variables, #define, #stop) for the next. */
  reset(): void {
    this.local = {}
    this.conditions = []
    this.defines = {}
    this.macrosStore = {}
    this.contextId = ''
    this.runState = { stop: false, break: false }
  }

  override renderAstList(asts?: unknown, contextId?: string): string {
    if (contextId?.startsWith('foreach:') === true) {
      const local = this.local as Record<string, { foreach?: ForeachScope }>
      const scope = local[contextId]?.foreach
      if (scope !== undefined) {
        if (scope.count > MAX_FOREACH_ITERATIONS)
          throw new TemplateRenderError(`#foreach ran more than ${MAX_FOREACH_ITERATIONS} iterations`)
        // Velocity's $foreach also has first and last, which velocityjs leaves out.
        scope.first = scope.index === 0
        scope.last = !scope.hasNext
      }
    }
    const list = (asts ?? this.asts) as readonly (string | { type: string; value?: string })[]
    if (contextId !== undefined && contextId !== '') {
      if (contextId !== this.contextId && !this.conditions.includes(contextId))
        this.conditions.unshift(contextId)
      this.contextId = contextId
    } else this.contextId = ''
    // velocityjs's loop, as a plain for over the nodes: a reference prints as Java prints it
    // (a null or missing one as nothing), text as it is.
    let out = ''
    for (const ast of list) {
      if (this.runState.stop) break
      if (typeof ast === 'string') {
        out += ast
        continue
      }
      switch (ast.type) {
        case 'references': {
          const v: unknown = this.getReferences(ast as never, true)
          out += typeof v === 'string' ? v : toVtlString(v)
          break
        }
        case 'set':
          this.setValue(ast as never)
          break
        case 'break':
          this.runState.break = true
          break
        case 'macro_call':
          out += this.getMacro(ast as never)
          break
        case 'comment':
          break
        case 'raw':
          out += ast.value ?? ''
          break
        default:
          out += this.getBlock(ast as never)
      }
    }
    return out
  }
}

export interface CompiledVtl {
  /** Renders with the given variables; throws TemplateRenderError on a limit or a failing call. */
  render(variables: Record<string, unknown>): string
}

function parseOrThrow(template: string): Ast {
  try {
    return parse(template)
  } catch (e) {
    const hash = (e as { hash?: { loc?: { first_line?: number }; line?: number } }).hash
    const line = hash?.loc?.first_line ?? (hash?.line === undefined ? 1 : hash.line + 1)
    const detail = (e as Error).message.split('\n').at(-1) ?? 'syntax error'
    throw new TemplateSyntaxError(detail, line)
  }
}

const END_MARK = 'forcegateTemplateEndMark'
type Node = { type?: string; id?: string; pos?: { first_line?: number } }

/**
 * velocityjs accepts a block without its `#end` (and renders it twice) and silently drops
 * everything after a stray `#end`; Velocity refuses both. A reference appended to the template
 * shows either: nested inside a block, the block was never closed; missing, an `#end` closed
 * nothing and cut the template short.
 */
function checkBlocks(template: string): void {
  const ast = parseOrThrow(`${template}\n$${END_MARK}`) as unknown as (string | Node | unknown[])[]
  let blocks = 0
  const find = (list: readonly unknown[], opener: Node | undefined): Node | undefined | null => {
    for (const item of list) {
      if (Array.isArray(item)) {
        blocks++
        const inner = find(item.slice(1), item[0] as Node)
        if (inner !== null) return inner
      } else if (typeof item === 'object' && item !== null && (item as Node).id === END_MARK) return opener
    }
    return null
  }
  const last = ast.at(-1) as Node | undefined
  const opener = find(ast, undefined)
  if (opener !== undefined && opener !== null)
    throw new TemplateSyntaxError(`#${opener.type} has no #end`, opener.pos?.first_line ?? 1)
  if (opener === null || last?.id !== END_MARK) {
    const ends = [...template.matchAll(/#\{?end\}?/g)]
    const stray = ends[blocks] ?? ends.at(-1)
    const line = stray === undefined ? 1 : template.slice(0, stray.index).split('\n').length
    throw new TemplateSyntaxError('#end without an open block', line)
  }
}

export function compileVtl(template: string): CompiledVtl {
  const ast = parseOrThrow(template)
  checkBlocks(template)
  // One engine per template, reset before each render: rendering is synchronous, so no two
  // renders of a template overlap, and building an engine cost more than most renders.
  const engine = new LimitedCompile(ast, { escape: false, customMethodHandlers: SANDBOX })
  return {
    render(variables) {
      engine.reset()
      try {
        return engine.render(variables, {}, true)
      } catch (e) {
        if (e instanceof TemplateRenderError) throw e
        throw new TemplateRenderError((e as Error).message)
      }
    },
  }
}
