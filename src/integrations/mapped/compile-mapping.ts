/**
 * Compiles a non-proxy integration's mapping once, at start-up: every request and response
 * template (a template that does not parse names the file, the JSON pointer of the template,
 * its line in the file and the line inside the template), every parameter mapping and every
 * selection pattern. All problems are collected and thrown together.
 */
import { ConfigError, ConfigErrors } from '../../errors/config-error.ts'
import {
  compileResponseSelector,
  type ResponseSelector,
  SelectionPatternError,
} from '../mapping/integration-response-selection.ts'
import { compileMappingTemplate, type MappingTemplate } from '../mapping/mapping-template.ts'
import {
  compileParameterMappings,
  MappingExpressionError,
  type ParameterMapping,
} from '../mapping/parameter-mapping.ts'
import { type PassthroughBehavior, templatesByMediaType } from '../mapping/request-template-selection.ts'
import type { ContentHandling } from './content-handling.ts'

/** A string the document gives, with where it is (the shape the API document reader produces). */
export interface SourcedText {
  readonly key: string
  readonly text: string
  readonly pointer: string
  readonly line: number | undefined
}

export interface IntegrationResponseSource {
  readonly pattern: string
  readonly pointer: string
  readonly line: number | undefined
  readonly statusCode: number
  readonly parameters: readonly SourcedText[]
  readonly templates: readonly SourcedText[]
  readonly contentHandling: ContentHandling | undefined
}

export interface MappingSource {
  readonly pointer: string
  readonly requestTemplates: readonly SourcedText[]
  readonly passthroughBehavior: PassthroughBehavior
  readonly requestParameters: readonly SourcedText[]
  readonly contentHandling: ContentHandling | undefined
  readonly responses: readonly IntegrationResponseSource[]
}

export interface CompiledResponse {
  readonly pattern: string
  readonly statusCode: number
  readonly parameters: readonly ParameterMapping[]
  readonly templates: ReadonlyMap<string, MappingTemplate>
  readonly contentHandling: ContentHandling | undefined
}

export interface CompiledMapping {
  readonly requestTemplates: ReadonlyMap<string, MappingTemplate>
  readonly passthroughBehavior: PassthroughBehavior
  readonly requestParameters: readonly ParameterMapping[]
  readonly contentHandling: ContentHandling | undefined
  readonly responses: readonly CompiledResponse[]
  readonly selector: ResponseSelector<CompiledResponse>
}

export function compileMapping(file: string, source: MappingSource): CompiledMapping {
  const problems: ConfigError[] = []
  const templates = (list: readonly SourcedText[]): Map<string, MappingTemplate> => {
    const out: [string, MappingTemplate][] = []
    for (const t of list) {
      try {
        out.push([t.key, compileMappingTemplate(t.text, { file, pointer: t.pointer })])
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e
        problems.push(new ConfigError(file, t.pointer, e.expected, t.line))
      }
    }
    return templatesByMediaType(out)
  }
  const mappings = (list: readonly SourcedText[], side: 'request' | 'response'): ParameterMapping[] => {
    const out: ParameterMapping[] = []
    for (const p of list) {
      try {
        out.push(...compileParameterMappings([[p.key, p.text]], side))
      } catch (e) {
        if (!(e instanceof MappingExpressionError)) throw e
        problems.push(new ConfigError(file, p.pointer, e.message, p.line))
      }
    }
    return out
  }
  const requestTemplates = templates(source.requestTemplates)
  const requestParameters = mappings(source.requestParameters, 'request')
  const responses: CompiledResponse[] = source.responses.map((r) => ({
    pattern: r.pattern,
    statusCode: r.statusCode,
    parameters: mappings(r.parameters, 'response'),
    templates: templates(r.templates),
    contentHandling: r.contentHandling,
  }))
  const usable: CompiledResponse[] = []
  for (const [i, r] of responses.entries()) {
    try {
      compileResponseSelector([r])
      usable.push(r)
    } catch (e) {
      if (!(e instanceof SelectionPatternError)) throw e
      problems.push(
        new ConfigError(
          file,
          source.responses[i]!.pointer,
          `expected a selection pattern (Java regular expression) that RE2 runs; ${e.message}`,
          source.responses[i]!.line,
        ),
      )
    }
  }
  const selector = compileResponseSelector(usable)
  if (problems.length === 1) throw problems[0]
  if (problems.length > 1) throw new ConfigErrors(problems)
  return {
    requestTemplates,
    passthroughBehavior: source.passthroughBehavior,
    requestParameters,
    contentHandling: source.contentHandling,
    responses,
    selector,
  }
}
