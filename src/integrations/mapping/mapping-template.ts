/**
 * One mapping template, compiled at start-up. A template that does not parse fails start-up
 * with a ConfigError naming the document, the JSON pointer of the template and the line inside
 * the template; rendering binds API Gateway's variables (`$input`, `$util`, `$context`,
 * `$stageVariables`) and nothing else, so a template sees no Node global.
 */
import { ConfigError } from '../../errors/config-error.ts'
import { createInputVariable, type MethodRequestParams } from './input-variable.ts'
import { UTIL_VARIABLE } from './util-variable.ts'
import { type CompiledVtl, compileVtl } from './vtl-engine.ts'
import { TemplateSyntaxError } from './vtl-parse.ts'

/** Where a template came from, for start-up errors. */
export interface TemplateSource {
  readonly file: string
  readonly pointer: string
}

export interface TemplateInput {
  /** The payload `$input` reads: the method request body, or the integration response body. */
  readonly body: string
  readonly params: MethodRequestParams
  /** A fresh `$context` (see buildContextVariable); the template may write its overrides. */
  readonly context: Record<string, unknown>
  readonly stageVariables: Readonly<Record<string, string>>
  /** `body` already parsed as JSON (a Lambda's result, owned by this response): the template may change it. */
  readonly parsedBody?: { readonly value: unknown }
}

export interface MappingTemplate {
  readonly source: TemplateSource
  render(input: TemplateInput): string
}

export function compileMappingTemplate(text: string, source: TemplateSource): MappingTemplate {
  let vtl: CompiledVtl
  try {
    vtl = compileVtl(text)
  } catch (e) {
    if (!(e instanceof TemplateSyntaxError)) throw e
    throw new ConfigError(
      source.file,
      source.pointer,
      `expected a mapping template that parses; line ${e.line} of the template: ${e.message}`,
    )
  }
  return {
    source,
    render(input) {
      return vtl.render({
        input: createInputVariable(input.body, input.params, input.parsedBody),
        util: UTIL_VARIABLE,
        context: input.context,
        stageVariables: { ...input.stageVariables },
      })
    },
  }
}
