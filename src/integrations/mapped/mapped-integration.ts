/**
 * API Gateway's non-proxy integrations (`aws`, `http`, `mock`): the method request is turned
 * into the integration request by the request template the Content-Type selects (or passed
 * through, or refused with 415, by `passthroughBehavior`) and by `requestParameters`; the
 * backend answers; the integration response whose selection pattern matches (else `default`)
 * gives the status, its `responseParameters` the headers and its response template the body.
 * The backend is the only part that differs between the three types.
 */

import { GatewayError } from '../../errors/gateway-error.ts'
import { lastHeader } from '../../http/gateway-request.ts'
import { buildContextVariable, readResponseOverride } from '../mapping/context-variable.ts'
import type { MappingTemplate } from '../mapping/mapping-template.ts'
import { applyParameterMappings } from '../mapping/parameter-mapping.ts'
import { mediaTypeOf, selectRequestTemplate } from '../mapping/request-template-selection.ts'
import { selectResponseTemplate } from '../mapping/response-template-selection.ts'
import { TemplateRenderError } from '../mapping/vtl-engine.ts'
import type { BufferedResponse, Integration, IntegrationCall, IntegrationResult } from '../types.ts'
import { type CompiledMapping, compileMapping, type MappingSource } from './compile-mapping.ts'
import { convertPayload, convertRendered, isBinaryPayload, templateText } from './content-handling.ts'
import { type MethodRequest, methodRequestOf, requestSources } from './method-request.ts'

/** What the gateway sends the backend after mapping. */
export interface IntegrationRequest {
  readonly body: Buffer | string
  /** The chosen template's media type, or the client's Content-Type on passthrough. */
  readonly contentType: string | undefined
  readonly header: Readonly<Record<string, string>>
  readonly querystring: Readonly<Record<string, string>>
  readonly path: Readonly<Record<string, string>>
}

/** What the backend answered, before the integration response maps it. */
export interface IntegrationResponse {
  readonly status: number
  /** Lower-cased names. */
  readonly headers: Readonly<Record<string, readonly string[]>>
  readonly body: Buffer | string
  /** What selection patterns match: a Lambda's errorMessage, an HTTP or mock status code. */
  readonly selectionSubject: string | undefined
  /** `body` already parsed as JSON, when the backend has it (a Lambda's result). */
  readonly parsed?: { readonly value: unknown }
}

export interface MappedBackend {
  readonly type: 'aws' | 'http' | 'mock'
  readonly description: string
  send(request: IntegrationRequest, call: IntegrationCall): Promise<IntegrationResponse>
}

export interface MappedIntegrationOptions {
  readonly file: string
  readonly mapping: MappingSource
  readonly binaryMediaTypes: readonly string[]
  readonly backend: MappedBackend
}

/** The request side of one request, as `invoke` and `explain` both compute it. */
interface PreparedRequest {
  readonly method: MethodRequest
  /** `$context` of this request, shared by its request and response templates. */
  readonly context: Record<string, unknown>
  readonly template: string
  readonly request: IntegrationRequest
}

export interface MappedIntegration extends Integration {
  /** For `forcegate explain`: the chosen template, the rendered integration request, and for a mock the response. */
  explain(call: Pick<IntegrationCall, 'view' | 'authorizer'>): Promise<Record<string, unknown>>
}

export function createMappedIntegration(options: MappedIntegrationOptions): MappedIntegration {
  const mapping = compileMapping(options.file, options.mapping)
  const { backend, binaryMediaTypes } = options
  const prepare = (call: Pick<IntegrationCall, 'view' | 'authorizer'>): PreparedRequest =>
    prepareRequest(mapping, binaryMediaTypes, call)
  return {
    type: backend.type,
    description: backend.description,
    mapping: describeMapping(mapping),
    needsBody: true,
    async invoke(call: IntegrationCall): Promise<IntegrationResult> {
      const prepared = prepare(call)
      const answer = await backend.send(prepared.request, call)
      return {
        kind: 'buffered',
        response: mapResponse(mapping, binaryMediaTypes, prepared, answer, call).response,
      }
    },
    async explain(call) {
      let prepared: PreparedRequest
      try {
        prepared = prepare(call)
      } catch (err) {
        if (!(err instanceof GatewayError)) throw err
        return { template: 'none', refused: `${err.status} ${err.code}`, reason: err.reason ?? null }
      }
      const detail: Record<string, unknown> = {
        template: prepared.template,
        integrationRequest: {
          body:
            typeof prepared.request.body === 'string'
              ? prepared.request.body
              : `<${prepared.request.body.length} bytes>`,
          header: prepared.request.header,
          querystring: prepared.request.querystring,
          path: prepared.request.path,
        },
      }
      if (backend.type === 'mock') {
        const answer = await backend.send(prepared.request, call as IntegrationCall)
        const { response, why } = mapResponse(mapping, binaryMediaTypes, prepared, answer, call)
        detail.integrationResponse = why()
        detail.status = response.status
      } else {
        detail.called = false
        detail.integrationResponses = mapping.responses.map((r) => `${r.pattern} → ${r.statusCode}`)
      }
      return detail
    },
  }
}

function describeMapping(m: CompiledMapping): readonly string[] {
  const lines = [
    `request templates: ${[...m.requestTemplates.keys()].join(', ') || 'none'} (passthrough ${m.passthroughBehavior})`,
  ]
  for (const r of m.responses)
    lines.push(
      `response ${r.pattern} → ${r.statusCode}: templates ${[...r.templates.keys()].join(', ') || 'none'}`,
    )
  return lines
}

function render(
  template: MappingTemplate,
  input: Parameters<MappingTemplate['render']>[0],
  side: string,
): string {
  try {
    return template.render(input)
  } catch (err) {
    if (!(err instanceof TemplateRenderError)) throw err
    throw new GatewayError('GW_MAPPING_FAILED', {
      reason: `mapping.${side}_template`,
      detail: `${template.source.file}#${template.source.pointer}: ${err.message}`,
    })
  }
}

const LOCATIONS = ['header', 'querystring', 'path'] as const
const EMPTY = Buffer.alloc(0)

function prepareRequest(
  mapping: CompiledMapping,
  binaryMediaTypes: readonly string[],
  call: Pick<IntegrationCall, 'view' | 'authorizer'>,
): PreparedRequest {
  const req = call.view.request
  const contentType = lastHeader(req, 'content-type')
  const choice = selectRequestTemplate(mapping.requestTemplates, contentType, mapping.passthroughBehavior)
  if (choice.kind === 'unsupported-media-type')
    throw new GatewayError('GW_UNSUPPORTED_MEDIA_TYPE', {
      reason: 'mapping.unsupported_media_type',
      detail: `no request template for ${mediaTypeOf(contentType)} and passthroughBehavior ${mapping.passthroughBehavior}`,
    })
  const method = methodRequestOf(call)
  const raw = req.body ?? EMPTY
  const binary = isBinaryPayload(mediaTypeOf(contentType), binaryMediaTypes)
  const text = templateText(raw, binary)
  const context = buildContextVariable(method.facts)
  let body: Buffer | string
  if (choice.kind === 'template') {
    body = convertRendered(
      render(
        choice.template,
        { body: text, params: method.params, context, stageVariables: method.stageVariables },
        'request',
      ),
      mapping.contentHandling,
    )
  } else body = convertPayload(raw, binary, mapping.contentHandling)
  const header: Record<string, string> = {}
  const querystring: Record<string, string> = {}
  const path: Record<string, string> = {}
  const maps = { header, querystring, path }
  if (mapping.requestParameters.length > 0)
    for (const [target, value] of applyParameterMappings(
      mapping.requestParameters,
      requestSources(method, text, context),
    ))
      maps[target.location][target.name] = value
  // $context.requestOverride, written by the template, wins over the mapped parameters.
  const override = context.requestOverride as Record<
    'header' | 'querystring' | 'path',
    Record<string, unknown>
  >
  for (const location of LOCATIONS) {
    const written = override[location]
    if (written !== undefined && written !== null)
      for (const name in written) {
        const value = written[name]
        if (Object.hasOwn(written, name) && value !== undefined && value !== null)
          maps[location][name] = String(value)
      }
  }
  return {
    method,
    context,
    template: choice.kind === 'template' ? choice.contentType : 'passthrough',
    request: {
      body,
      contentType: choice.kind === 'template' ? choice.contentType : contentType,
      header,
      querystring,
      path,
    },
  }
}

function mapResponse(
  mapping: CompiledMapping,
  binaryMediaTypes: readonly string[],
  prepared: PreparedRequest,
  answer: IntegrationResponse,
  call: Pick<IntegrationCall, 'view'>,
): { response: BufferedResponse; why: () => string } {
  const { method, context } = prepared
  const { response: chosen, why } = mapping.selector.select(answer.selectionSubject)
  if (chosen === undefined)
    throw new GatewayError('GW_MAPPING_FAILED', {
      reason: 'mapping.no_integration_response',
      detail: `no match for output mapping and no default output mapping configured (${why})`,
    })
  const answerType = answer.headers['content-type']?.at(-1)
  const binary = answerType !== undefined && isBinaryPayload(mediaTypeOf(answerType), binaryMediaTypes)
  const raw = (): Buffer => (typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body)
  const text = typeof answer.body === 'string' && !binary ? answer.body : templateText(raw(), binary)
  const headers: [string, string][] = []
  if (chosen.parameters.length > 0)
    for (const [target, value] of applyParameterMappings(chosen.parameters, {
      responseHeader: answer.headers,
      responseBody: text,
      context,
      stageVariables: method.stageVariables,
    }))
      headers.push([target.name, value])
  const accept = lastHeader(call.view.request, 'accept')
  const { contentType, template } = selectResponseTemplate(chosen.templates, accept)
  const body =
    template === undefined
      ? typeof answer.body === 'string' && chosen.contentHandling === undefined
        ? answer.body
        : convertPayload(raw(), binary, chosen.contentHandling)
      : convertRendered(
          render(
            template,
            binary || answer.parsed === undefined
              ? { body: text, params: method.params, context, stageVariables: method.stageVariables }
              : {
                  body: text,
                  params: method.params,
                  context,
                  stageVariables: method.stageVariables,
                  parsedBody: answer.parsed,
                },
            'response',
          ),
          chosen.contentHandling,
        )
  if (!headers.some(([name]) => name.toLowerCase() === 'content-type'))
    headers.push(['content-type', contentType])
  // $context.responseOverride, written by the response template, wins over everything else.
  const override = readResponseOverride(context)
  for (const [name, value] of override.headers) {
    const lower = name.toLowerCase()
    const at = headers.findIndex(([n]) => n.toLowerCase() === lower)
    if (at === -1) headers.push([name, value])
    else headers[at] = [name, value]
  }
  const status = override.status ?? chosen.statusCode
  return {
    response: { status, headers, body },
    // Only explain reads it: not built for every request.
    why: () => {
      const overridden =
        override.status === undefined ? '' : `; $context.responseOverride.status set ${status}`
      return `${chosen.pattern} → ${chosen.statusCode}: ${why}${overridden}`
    },
  }
}
