import { GatewayError } from '../../errors/gateway-error.ts'
import type { MappingSource } from '../mapped/compile-mapping.ts'
import {
  createMappedIntegration,
  type IntegrationResponse,
  type MappedBackend,
  type MappedIntegration,
} from '../mapped/mapped-integration.ts'

export interface MockOptions {
  readonly file: string
  readonly mapping: MappingSource
  readonly binaryMediaTypes: readonly string[]
}

/**
 * `mock`: no backend. The request template renders `{"statusCode": 200}` (any template,
 * so it may choose the status from the request); that status is what selection patterns
 * match, and the integration response's template produces the body. Without a status the
 * default integration response answers.
 */
const MOCK_BACKEND: MappedBackend = {
  type: 'mock',
  description: 'mock',
  async send(request): Promise<IntegrationResponse> {
    const text = typeof request.body === 'string' ? request.body : request.body.toString('utf8')
    let status: unknown
    try {
      status = (JSON.parse(text) as { statusCode?: unknown } | null)?.statusCode
    } catch {
      status = undefined
    }
    // No request template (or one that names no status): the default integration response, as
    // AWS's mock integration documentation describes.
    if (status === undefined || status === null)
      return { status: 200, headers: {}, body: '', selectionSubject: undefined }
    const n = typeof status === 'string' && /^\d{3}$/.test(status) ? Number(status) : status
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 100 || n > 599)
      throw new GatewayError('GW_MOCK_NO_STATUS', {
        reason: 'mock.no_status',
        detail: 'the request template rendered no statusCode',
      })
    return { status: n, headers: {}, body: '', selectionSubject: String(n) }
  },
}

export function createMockIntegration(options: MockOptions): MappedIntegration {
  return { ...createMappedIntegration({ ...options, backend: MOCK_BACKEND }), sideEffectFree: true }
}
