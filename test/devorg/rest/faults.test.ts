import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { startTestServer, type TestServer, v } from './rest-test-server.ts'

let srv: TestServer
before(async () => {
  srv = await startTestServer()
})
after(() => srv.close())

test('faults.unavailable answers 503 SERVER_UNAVAILABLE until switched off', async () => {
  srv.faults.unavailable = true
  try {
    const r = await srv.call('GET', v('/sobjects/Account'))
    assert.equal(r.status, 503)
    const [err] = r.json as { errorCode: string; message: string }[]
    assert.equal(err?.errorCode, 'SERVER_UNAVAILABLE')
    assert.ok(err?.message)
  } finally {
    srv.faults.unavailable = false
  }
  assert.equal((await srv.call('GET', v('/sobjects/Account'))).status, 200)
})

test('faults.requestLimitExceeded answers 403 REQUEST_LIMIT_EXCEEDED, still after authentication', async () => {
  srv.faults.requestLimitExceeded = true
  try {
    const r = await srv.call('GET', v('/sobjects/Account'))
    assert.equal(r.status, 403)
    assert.equal((r.json as { errorCode: string }[])[0]?.errorCode, 'REQUEST_LIMIT_EXCEEDED')
    assert.match(r.headers.get('sforce-limit-info') ?? '', /^api-usage=\d+\/15000$/)
    assert.equal((await srv.call('GET', v('/sobjects/Account'), { token: 'bad' })).status, 401)
  } finally {
    srv.faults.requestLimitExceeded = false
  }
  assert.equal((await srv.call('GET', v('/sobjects/Account'))).status, 200)
})

test('faults.slowMs delays every response', async () => {
  srv.faults.slowMs = 150
  try {
    const started = performance.now()
    const r = await srv.call('GET', '/services/data/', { token: null })
    assert.equal(r.status, 200)
    assert.ok(performance.now() - started >= 140)
  } finally {
    srv.faults.slowMs = 0
  }
  const started = performance.now()
  await srv.call('GET', '/services/data/', { token: null })
  assert.ok(performance.now() - started < 140)
})
