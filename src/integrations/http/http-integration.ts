import { GatewayError } from '../../errors/gateway-error.ts'
import { HOP_BY_HOP } from '../../http/hop-by-hop.ts'
import { activeTraceparent } from '../../observability/traceparent.ts'
import type { MappingSource } from '../mapped/compile-mapping.ts'
import {
  createMappedIntegration,
  type IntegrationResponse,
  type MappedBackend,
  type MappedIntegration,
} from '../mapped/mapped-integration.ts'
import { upstreamCause } from './upstream-cause.ts'
import type { UpstreamPools } from './upstream-pools.ts'
import { compileUriTemplate } from './uri-template.ts'

export interface HttpIntegrationOptions {
  readonly file: string
  readonly mapping: MappingSource
  readonly binaryMediaTypes: readonly string[]
  readonly uri: string
  readonly httpMethod: string
  readonly timeoutMs: number
  readonly pools: UpstreamPools
}

const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'])

/**
 * `http` (non-proxy): the mapped integration request goes to `uri`, its `{name}` placeholders
 * filled from `integration.request.path.*` and its query string from
 * `integration.request.querystring.*` only; the client's own headers and query do not travel
 * unless mapped. The answer is read whole; its status code is what selection patterns match.
 */
export function createHttpIntegration(options: HttpIntegrationOptions): MappedIntegration {
  const template = compileUriTemplate(options.uri)
  const pool = options.pools.get(template.origin, options.timeoutMs)
  const backend: MappedBackend = {
    type: 'http',
    description: `http ${options.httpMethod} ${options.uri} (mapping templates, timeout ${options.timeoutMs} ms)`,
    async send(request, call): Promise<IntegrationResponse> {
      const query = new URLSearchParams(Object.entries(request.querystring)).toString()
      const method = options.httpMethod === 'ANY' ? call.view.request.method : options.httpMethod
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(request.header))
        if (!HOP_BY_HOP.has(name.toLowerCase())) headers[name.toLowerCase()] = value
      for (const [name, value] of call.identityHeaders) headers[name.toLowerCase()] = value
      const traceparent = activeTraceparent()
      if (traceparent !== undefined) headers.traceparent = traceparent
      if (request.contentType !== undefined && headers['content-type'] === undefined)
        headers['content-type'] = request.contentType
      headers.host = template.host
      const sendsBody = method !== 'GET' && method !== 'HEAD'
      try {
        const answer = await pool.request({
          path: template.path(request.path, query),
          method,
          headers,
          body: sendsBody ? request.body : null,
        })
        const body = Buffer.from(await answer.body.arrayBuffer())
        const out: Record<string, string[]> = {}
        for (const [name, value] of Object.entries(answer.headers))
          if (value !== undefined) out[name] = ([] as string[]).concat(value)
        return { status: answer.statusCode, headers: out, body, selectionSubject: String(answer.statusCode) }
      } catch (err) {
        const code = (err as { code?: string }).code ?? ''
        if (TIMEOUTS.has(code))
          throw new GatewayError('GW_INTEGRATION_TIMEOUT', {
            reason: 'upstream.timeout',
            detail: `${template.origin}: ${code}`,
          })
        throw new GatewayError('GW_UPSTREAM_UNREACHABLE', {
          reason: 'upstream.unreachable',
          detail: `${template.origin}: ${upstreamCause(code, err)}`,
        })
      }
    },
  }
  return createMappedIntegration({ ...options, backend })
}
