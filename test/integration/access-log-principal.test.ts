import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { startGateway } from '../../src/gateway.ts'
import { createLogger } from '../../src/observability/logger.ts'
import { lambdaOp, lambdaUri, tempApi } from '../helpers/temp-api.ts'
import { openapi } from '../helpers/test-gateway.ts'

const AUTHORIZER = `export const handler = async (event) => ({
  principalId: 'user-' + event.authorizationToken.slice(7),
  policyDocument: { Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*/*/GET/open' },
    { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: '*/*/GET/closed' },
  ] },
})\n`

test('the access log names the principal of a request the policy denied', async () => {
  const api = await tempApi(
    openapi(
      {
        '/open': { get: { ...lambdaOp('ok'), security: [{ bearer: [] }] } },
        '/closed': { get: { ...lambdaOp('ok'), security: [{ bearer: [] }] } },
        '/unlisted': { get: { ...lambdaOp('ok'), security: [{ bearer: [] }] } },
      },
      {
        components: {
          securitySchemes: {
            bearer: {
              type: 'apiKey',
              name: 'Authorization',
              in: 'header',
              'x-amazon-apigateway-authorizer': {
                type: 'token',
                authorizerUri: lambdaUri('policy'),
                authorizerResultTtlInSeconds: 0,
              },
            },
          },
        },
      },
    ),
    {
      'policy.mjs': AUTHORIZER,
      'ok.mjs': `export const handler = async () => ({ statusCode: 200, body: 'ok' })\n`,
    },
  )
  const lines: Record<string, unknown>[] = []
  // The access-log line is written when the response finishes, which may follow the client's read.
  let lastLogged = (): void => {}
  const allLogged = new Promise<void>((resolve) => (lastLogged = resolve))
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) {
        if (line === '') continue
        const entry = JSON.parse(line) as Record<string, unknown>
        lines.push(entry)
        if (entry.path === '/unlisted' && 'principal' in entry) lastLogged()
      }
      done()
    },
  })
  const gateway = await startGateway({ apiFile: api.apiFile, port: 0, logger: createLogger('info', sink) })
  try {
    const statuses: Record<string, number> = {}
    for (const path of ['/open', '/closed', '/unlisted']) {
      const res = await fetch(`${gateway.url}${path}`, { headers: { authorization: 'Bearer alice' } })
      await res.arrayBuffer()
      statuses[path] = res.status
    }
    assert.deepEqual(statuses, { '/open': 200, '/closed': 403, '/unlisted': 403 })
    await allLogged
    const access = (path: string) => lines.find((l) => l.path === path && 'principal' in l)
    assert.equal(access('/open')?.principal, 'user-alice')
    assert.equal(access('/closed')?.principal, 'user-alice')
    assert.equal(access('/closed')?.reason, 'policy.deny.explicit')
    assert.equal(access('/unlisted')?.principal, 'user-alice')
    assert.equal(access('/unlisted')?.reason, 'policy.deny.implicit')
  } finally {
    await gateway.close()
    await api.remove()
  }
})
