import { GatewayError } from '../../errors/gateway-error.ts'
import { substituteTemplate, type TemplateScope } from '../../errors/template-scope.ts'
import type { Integration, IntegrationResult } from '../types.ts'

export interface MockResponse {
  /** Selection pattern matched against the status code; `default` catches the rest. */
  readonly pattern: string
  readonly statusCode: number
  readonly headers: readonly (readonly [string, string])[]
  readonly templates: readonly (readonly [string, string])[]
}

export interface MockOptions {
  /** Status the request template selects (`{"statusCode": 200}`), read once at start-up. */
  readonly requestStatus: number | undefined
  readonly responses: readonly MockResponse[]
  readonly scopeOf: (call: Parameters<Integration['invoke']>[0]) => TemplateScope
}

/** `mock`: no backend; the request template picks a status, the integration response answers. */
export function createMockIntegration(options: MockOptions): Integration {
  const compiled = options.responses.map((r) => ({
    ...r,
    regex: r.pattern === 'default' ? undefined : new RegExp(`^(?:${r.pattern})$`),
  }))
  return {
    type: 'mock',
    description: `mock (status ${options.requestStatus ?? 'none'})`,
    needsBody: false,
    sideEffectFree: true,
    async invoke(call): Promise<IntegrationResult> {
      if (options.requestStatus === undefined) {
        throw new GatewayError('GW_MOCK_NO_STATUS', {
          reason: 'mock.no_status',
          detail: 'request template has no statusCode',
        })
      }
      const status = String(options.requestStatus)
      const chosen =
        compiled.find((r) => r.regex?.test(status) === true) ?? compiled.find((r) => r.regex === undefined)
      if (chosen === undefined)
        return { kind: 'buffered', response: { status: options.requestStatus, headers: [], body: '' } }
      const scope = options.scopeOf(call)
      const headers: [string, string][] = chosen.headers.map(([n, v]) => [n, v])
      const template = chosen.templates[0]
      if (template !== undefined) headers.push(['content-type', template[0]])
      const body = template === undefined ? '' : substituteTemplate(template[1], scope)
      return { kind: 'buffered', response: { status: chosen.statusCode, headers, body } }
    },
  }
}
