/**
 * Parsing a mapping template, once, at start-up: velocityjs's parser with what Velocity 1.7
 * reads differently (a bare `#stop`, doubled quotes in string literals) and refuses (a block
 * without its `#end`, a stray `#end`), each refusal naming the line inside the template.
 */
import { parse } from 'velocityjs'
import { backslashDoubledQuotes } from './velocity-quotes.ts'

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

/** Velocity's `#stop` directive takes no parentheses; velocityjs knows only the `#stop()` call. */
const BARE_STOP = /#(?:\{stop\}|stop(?![A-Za-z0-9_(-]))/g

/** Parses with Velocity's doubled quotes (velocity-quotes.ts) when the template needs them. */
function parseQuotes(source: string): { template: string; ast: Ast } {
  const template = source.replace(BARE_STOP, '#stop()')
  try {
    return { template, ast: parseOrThrow(template) }
  } catch (e) {
    const rewritten = backslashDoubledQuotes(template)
    if (rewritten === template) throw e
    try {
      return { template: rewritten, ast: parseOrThrow(rewritten) }
    } catch {
      throw e
    }
  }
}

/** The template's syntax tree; throws TemplateSyntaxError with the line inside the template. */
export function parseVelocity(source: string): Ast {
  const { template, ast } = parseQuotes(source)
  checkBlocks(template)
  return ast
}
