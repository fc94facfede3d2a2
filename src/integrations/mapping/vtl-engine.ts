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
import { velocityCompare, velocityEquals, velocityMath, velocityTrue } from './velocity-operators.ts'
import { parseVelocity } from './vtl-parse.ts'
import { toVtlString } from './vtl-string.ts'
import { checkWrite } from './write-once.ts'

/** API Gateway's quota: a `#foreach` runs at most 1,000 iterations. */
export const MAX_FOREACH_ITERATIONS = 1000

type Ast = ReturnType<typeof parse>
type ExprAst = Parameters<Compile['getExpression']>[0]

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
  getContext(id: string): unknown
}

/** A template that failed while rendering (a limit hit, a bad regex): the request gets a 500. */
export class TemplateRenderError extends Error {
  override name = 'TemplateRenderError'
}

/** A decimal literal (`7.0`) keeps a division real. */
const isDecimal = (e: ExprAst): boolean => (e as unknown as { type?: string }).type === 'decimal'

/** Keys a `#set` path never writes: JavaScript's prototype machinery. */
const BLOCKED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

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
   * Velocity 1.7's operators (velocity-operators.ts) in place of JavaScript's: its truth (only
   * null and false are false), arithmetic on numbers only with integer division, `+` joining
   * strings, `==` by value or printed form. (The base declares `string`; expressions yield any value.)
   */
  override getExpression(ast: Parameters<Compile['getExpression']>[0]): string {
    const math = ast as unknown as { type: string; operator?: string; expression?: ExprAst[] }
    if (math.type !== 'math') return super.getExpression(ast)
    const operands = math.expression as [ExprAst, ExprAst]
    const l = operands[0]
    const r = operands[1]
    let out: unknown
    switch (math.operator) {
      case '&&':
        out = velocityTrue(this.getExpression(l)) && velocityTrue(this.getExpression(r))
        break
      case '||':
        out = velocityTrue(this.getExpression(l)) || velocityTrue(this.getExpression(r))
        break
      case 'not':
        out = !velocityTrue(this.getExpression(l))
        break
      case '==':
        out = velocityEquals(this.getExpression(l) as unknown, this.getExpression(r))
        break
      case '!=':
        out = !velocityEquals(this.getExpression(l) as unknown, this.getExpression(r))
        break
      case '<':
      case '>':
      case '<=':
      case '>=':
        out = velocityCompare(
          math.operator,
          this.getExpression(l) as unknown,
          this.getExpression(r) as unknown,
        )
        break
      case '+':
      case '-':
      case '*':
      case '/':
      case '%': {
        const decimal = isDecimal(l) || isDecimal(r)
        out = velocityMath(
          math.operator,
          this.getExpression(l) as unknown,
          this.getExpression(r) as unknown,
          decimal,
        )
        break
      }
      default:
        return super.getExpression(ast)
    }
    return out as string
  }

  /** `#if`/`#elseif` with Velocity's truth rather than JavaScript's. */
  getBlockIf(block: readonly unknown[]): string {
    const asts: unknown[] = []
    let chosen = false
    for (const node of block as unknown as { type?: string; condition?: ExprAst }[]) {
      const branch = node.type === 'if' || node.type === 'elseif' || node.type === 'else'
      if (!branch) {
        if (chosen) asts.push(node)
        continue
      }
      if (chosen) break
      chosen = node.type === 'else' || velocityTrue(this.getExpression(node.condition as ExprAst))
    }
    return this.renderAstList(asts, this.contextId)
  }

  /**
   * `#set` as Velocity 1.7 does it: a right-hand side that is null leaves the variable as it
   * was, and an override already set in `$context` may not be set again (write-once.ts).
   */
  override setValue(ast: Parameters<Compile['setValue']>[0]): void {
    const node = ast as unknown as { equal: [RefAst & { path?: unknown[] }, ExprAst & { type: string }] }
    const ref = node.equal[0]
    const rhs = node.equal[1]
    const val: unknown = rhs.type === 'math' ? this.getExpression(rhs) : this.getLiteral(rhs as never)
    if (val === undefined || val === null) return
    let context = (this as unknown as Mixins).getContext(ref.id) as Record<string, unknown>
    if (this.contextId.startsWith('macro:')) context = this.context as Record<string, unknown>
    if (ref.path === undefined) {
      if (ref.id !== '__proto__') context[ref.id] = val
      return
    }
    // A path into a map or list that exists: Velocity sets nothing through a null or a string.
    const keys = ref.path.map((p) => this.pathKey(p as { type?: string; id?: unknown }))
    let base: unknown = Object.hasOwn(context, ref.id) ? context[ref.id] : undefined
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]
      if (key === undefined || typeof base !== 'object' || base === null || Object.isFrozen(base)) return
      if (i === keys.length - 1) {
        checkWrite(base, key)
        ;(base as Record<string, unknown>)[key] = val
        return
      }
      base = Object.hasOwn(base, key) ? (base as Record<string, unknown>)[key] : undefined
    }
  }

  private pathKey(p: { type?: string; id?: unknown }): string | undefined {
    const key =
      p.type === 'property'
        ? String(p.id)
        : p.type === 'index'
          ? toVtlString(this.getLiteral(p.id as never))
          : undefined
    return key === undefined || BLOCKED_KEYS.has(key) ? undefined : key
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
   * `$x.name` and `$x[key]` read what Java would find: a map's own entry, a list's element at a
   * whole-number index. Nothing inherited (`$list.map`, `$map.hasOwnProperty`, `$s.length`) is
   * readable, so no JavaScript function or prototype is ever a template's value.
   */
  getAttributes(property: { type?: string; id?: unknown }, baseRef: unknown): unknown {
    if (baseRef === null || baseRef === undefined) return undefined
    if (property.type === 'method') return this.getPropMethod(property as RefAst, baseRef)
    const id = property.id as { type?: string; value?: unknown } | string
    const key: unknown =
      property.type === 'property'
        ? id
        : typeof id === 'object' && id.type === 'references'
          ? this.getReferences(id as never)
          : (id as { value?: unknown }).value
    if (Array.isArray(baseRef)) {
      const index = typeof key === 'number' ? key : Number(key)
      return Number.isInteger(index) && index >= 0 ? baseRef[index] : undefined
    }
    if (typeof baseRef !== 'object' || typeof key !== 'string') return undefined
    return Object.hasOwn(baseRef, key) ? (baseRef as Record<string, unknown>)[key] : undefined
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

  // #stop, made once per engine. velocityjs's #eval (not Velocity's) is left out: it parsed a
  // string at render time, and `#eval($input.body)` would run a client's payload as a template.
  readonly #macros = {
    stop: (): string => {
      this.runState.stop = true
      return ''
    },
  }

  /**
   * A double-quoted literal with `$` or `#` in it is a template of its own: velocityjs parsed it
   * on every evaluation. The literals are the template's, so each is parsed once per engine.
   */
  readonly #strings = new Map<string, Ast>()

  override evalStr(str: string): string {
    let asts = this.#strings.get(str)
    if (asts === undefined) {
      asts = parse(str)
      this.#strings.set(str, asts)
    }
    return this.renderAstList(asts, this.contextId)
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
      // #break ends the loop body where it stands, as #stop ends the template.
      if (this.runState.stop || this.runState.break) break
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

export function compileVtl(source: string): CompiledVtl {
  const ast = parseVelocity(source)
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
