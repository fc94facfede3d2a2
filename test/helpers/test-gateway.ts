import { type Gateway, startGateway } from '../../src/gateway.ts'
import { createLogger } from '../../src/observability/logger.ts'
import { type TempApi, tempApi } from './temp-api.ts'

export interface TestGateway {
  readonly url: string
  readonly gateway: Gateway
  readonly api: TempApi
  close(): Promise<void>
}

/** Starts an in-process gateway on 127.0.0.1:0 over a throw-away API document and functions. */
export async function startTestGateway(
  document: unknown,
  functions: Record<string, string> = {},
  config?: string,
  options: { clock?: () => number } = {},
): Promise<TestGateway> {
  const api = await tempApi(document, functions)
  const configFile = config === undefined ? undefined : await api.file('forcegate.yaml', config)
  const gateway = await startGateway({
    apiFile: api.apiFile,
    ...(configFile === undefined ? {} : { configFile }),
    port: 0,
    logger: createLogger('silent'),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  })
  return {
    url: gateway.url,
    gateway,
    api,
    async close() {
      await gateway.close()
      await api.remove()
    },
  }
}

export const openapi = (
  paths: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  openapi: '3.0.3',
  info: { title: 'test api', version: '1' },
  paths,
  ...extra,
})
