import assert from 'node:assert/strict'
import { test } from 'node:test'
import { prepareGateway } from '../../src/gateway.ts'
import { createLogger } from '../../src/observability/logger.ts'
import { lambdaOp, tempApi } from '../helpers/temp-api.ts'
import { openapi } from '../helpers/test-gateway.ts'

/** Overrides are part of what is validated: the gateway never compiles a setting no one checked. */
test('an override or a patch that breaks the schema stops the start like a bad setting in the file', async () => {
  const api = await tempApi(openapi({ '/x': { get: lambdaOp('ok') } }), {
    'ok.mjs': 'export const handler = async () => ({ statusCode: 200 })\n',
  })
  const configFile = await api.file('forcegate.yaml', 'server:\n  port: 8080\n')
  const base = { apiFile: api.apiFile, configFile, logger: createLogger('silent') }
  try {
    await assert.rejects(
      prepareGateway({ ...base, port: 70_000 }),
      /forcegate\.yaml:\d+: \/server\/port: expected an integer from 0 to 65535, found number 70000/,
    )
    await assert.rejects(
      prepareGateway({
        ...base,
        configPatch(config) {
          Object.assign(config.server, { maxUrlBytes: 10 })
        },
      }),
      /\/server\/maxUrlBytes: expected an integer from 256 to 65536, found number 10/,
    )
    const ok = await prepareGateway({ ...base, port: 0, stage: 'v2' })
    assert.equal(ok.config.server.port, 0)
    assert.equal(ok.table.stage, 'v2')
    await ok.table.close()
  } finally {
    await api.remove()
  }
})
