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

/** API Gateway's quota: a `#foreach` runs at most 1,000 iterations. */
export const MAX_FOREACH_ITERATIONS = 1000

type Ast = ReturnType<typeof parse>

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

  override renderAstList(asts?: unknown, contextId?: string): string {
    if (contextId?.startsWith('foreach:') === true) {
      const local = (this as unknown as { local: Record<string, { foreach?: { count: number } }> }).local
      const count = local[contextId]?.foreach?.count ?? 0
      if (count > MAX_FOREACH_ITERATIONS)
        throw new TemplateRenderError(`#foreach ran more than ${MAX_FOREACH_ITERATIONS} iterations`)
    }
    return super.renderAstList(asts as never, contextId)
  }
}

export interface CompiledVtl {
  /** Renders with the given variables; throws TemplateRenderError on a limit or a failing call. */
  render(variables: Record<string, unknown>): string
}

export function compileVtl(template: string): CompiledVtl {
  let ast: Ast
  try {
    ast = parse(template)
  } catch (e) {
    const hash = (e as { hash?: { loc?: { first_line?: number }; line?: number } }).hash
    const line = hash?.loc?.first_line ?? (hash?.line === undefined ? 1 : hash.line + 1)
    const detail = (e as Error).message.split('\n').at(-1) ?? 'syntax error'
    throw new TemplateSyntaxError(detail, line)
  }
  return {
    render(variables) {
      const engine = new LimitedCompile(ast, { escape: false, customMethodHandlers: SANDBOX })
      try {
        return engine.render(variables, {}, true)
      } catch (e) {
        if (e instanceof TemplateRenderError) throw e
        throw new TemplateRenderError((e as Error).message)
      }
    },
  }
}
