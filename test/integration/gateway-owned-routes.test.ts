import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import { type Gateway, prepareGateway, startGateway } from '../../src/gateway.ts'
import { createLogger } from '../../src/observability/logger.ts'
import { explainRequest } from '../../src/pipeline/explain.ts'
import { rawRequest } from '../helpers/raw-http.ts'
import { lambdaOp, type TempApi, tempApi } from '../helpers/temp-api.ts'
import { openapi } from '../helpers/test-gateway.ts'

const ADMIN_TOKEN = randomBytes(24).toString('base64url')

/** Access-log lines as the gateway writes them; `next(path)` resolves with the line of a path. */
function accessLog() {
  const lines: Record<string, unknown>[] = []
  const waiting: { path: string; resolve: (line: Record<string, unknown>) => void }[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n')) {
        if (text === '') continue
        const line = JSON.parse(text) as Record<string, unknown>
        if (!('routeKey' in line)) continue
        lines.push(line)
        for (const w of waiting.splice(0)) {
          if (w.path === line.path) w.resolve(line)
          else waiting.push(w)
        }
      }
      done()
    },
  })
  return {
    logger: createLogger('info', sink),
    line(path: string): Promise<Record<string, unknown>> {
      const found = lines.find((l) => l.path === path)
      if (found !== undefined) return Promise.resolve(found)
      return new Promise((resolve) => waiting.push({ path, resolve }))
    },
  }
}

describe('the gateway answers its own paths through the same router and stages', () => {
  const log = accessLog()
  let api: TempApi
  let gw: Gateway
  before(async () => {
    process.env.GOR_KEY = randomBytes(32).toString('base64')
    process.env.GOR_ADMIN = ADMIN_TOKEN
    process.env.GOR_IAT = 'unused'
    api = await tempApi(openapi({ '/{proxy+}': { 'x-amazon-apigateway-any-method': lambdaOp('ok') } }), {
      'ok.mjs': `export const handler = async () => ({ statusCode: 200, body: 'api' })\n`,
    })
    const configFile = await api.file(
      'forcegate.yaml',
      [
        'server: { maxUrlBytes: 256 }',
        'partners:',
        '  org:',
        '    url: http://127.0.0.1:9',
        '    initialAccessToken: { env: GOR_IAT }',
        '  store: { path: ":memory:" }',
        '  encryption: { key: { env: GOR_KEY } }',
        '  admin: { token: { env: GOR_ADMIN } }',
        '',
      ].join('\n'),
    )
    gw = await startGateway({
      apiFile: api.apiFile,
      configFile,
      port: 0,
      host: '127.0.0.1',
      logger: log.logger,
    })
  })
  after(async () => {
    await gw?.close()
    await api?.remove()
  })

  test('health and readiness answer beside an API whose greedy route would otherwise take them', async () => {
    const health = await fetch(`${gw.url}/_forcegate/health`)
    assert.equal(health.status, 200)
    assert.deepEqual(await health.json(), { status: 'ok' })
    assert.match(health.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/)
    const ready = await fetch(`${gw.url}/_forcegate/ready`)
    assert.equal(ready.status, 200)
    assert.deepEqual(await ready.json(), { status: 'ready' })
    const api = await fetch(`${gw.url}/_forcegate/other`)
    assert.equal(await api.text(), 'api')
  })

  test('the admin API is logged like any route', async () => {
    const res = await fetch(`${gw.url}/_forcegate/partners`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { partners: [] })
    const line = await log.line('/_forcegate/partners')
    assert.equal(line.routeKey, 'ANY /_forcegate/partners')
    assert.equal(line.status, 200)
  })

  test('receive checks apply to the admin API: two Authorization headers, an over-long URL', async () => {
    const twice = await rawRequest(
      gw.url,
      `GET /_forcegate/partners/x HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\nAuthorization: Bearer other\r\n\r\n`,
    )
    assert.equal(twice.status, 400)
    assert.match(twice.head, /\r\nconnection: close/i)
    assert.equal((await log.line('/_forcegate/partners/x')).error, 'GW_DUPLICATE_AUTHORIZATION')
    const long = await fetch(`${gw.url}/_forcegate/partners/${'x'.repeat(300)}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    assert.equal(long.status, 414)
  })

  test("the admin API's body is read by the gateway's capped reader: past the admin limit it is 413 before the token is checked", async () => {
    const body = `{"name":"${'x'.repeat(70_000)}"}`
    const res = await rawRequest(
      gw.url,
      `POST /_forcegate/partners/big HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer not-the-admin-token\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    )
    assert.equal(res.status, 413)
    assert.match(res.head, /\r\nconnection: close/i)
    assert.equal((await log.line('/_forcegate/partners/big')).error, 'GW_BODY_TOO_LARGE')
  })

  test('explain names the gateway route that answers', async () => {
    const e = await explainRequest(
      gw.table,
      { method: 'GET', target: '/_forcegate/ready', headers: [] },
      Date.now,
    )
    assert.equal(e.status, 200)
    assert.equal(e.steps.find((s) => s.step === 'route')?.detail.routeKey, 'GET /_forcegate/ready')
  })

  test('an API route under a gateway path is a configuration error naming its owner', async () => {
    const clash = await tempApi(openapi({ '/_forcegate/health': { get: lambdaOp('ok') } }), {
      'ok.mjs': 'export const handler = async () => ({ statusCode: 200 })\n',
    })
    try {
      await assert.rejects(
        startGateway({ apiFile: clash.apiFile, port: 0, host: '127.0.0.1', logger: createLogger('silent') }),
        /\/_forcegate\/health is served by the gateway \(health\)/,
      )
    } finally {
      await clash.remove()
    }
  })
})

describe('readiness', () => {
  test('answers 503 once the gateway drains', async () => {
    const api = await tempApi(openapi({ '/x': { get: lambdaOp('ok') } }), {
      'ok.mjs': 'export const handler = async () => ({ statusCode: 200 })\n',
    })
    const prepared = await prepareGateway({ apiFile: api.apiFile, logger: createLogger('silent') })
    try {
      const ready = { method: 'GET', target: '/_forcegate/ready', headers: [] }
      assert.equal((await explainRequest(prepared.table, ready, Date.now)).status, 200)
      prepared.drain()
      const draining = await explainRequest(prepared.table, ready, Date.now)
      assert.equal(draining.status, 503)
      assert.equal(
        (await explainRequest(prepared.table, { ...ready, target: '/_forcegate/health' }, Date.now)).status,
        200,
      )
    } finally {
      await prepared.table.close()
      await api.remove()
    }
  })
})
