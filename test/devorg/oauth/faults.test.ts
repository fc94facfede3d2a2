import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { decideFault } from '../../../devorg/fault-gate.ts'
import { defaultFaults, parseFaultsPatch } from '../../../devorg/faults.ts'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { app, introspect, postForm } from './org-client.ts'

describe('fault switches', () => {
  let org: DevOrg
  before(async () => {
    org = await startDevOrg({ port: 0, faults: { introspectionDown: true } })
  })
  after(() => org.close())

  const setFaults = async (patch: unknown) => {
    const res = await fetch(`${org.url}/__devorg/faults`, { method: 'POST', body: JSON.stringify(patch) })
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }

  it('starts with the faults given in the options and shows them over GET', async () => {
    const res = await fetch(`${org.url}/__devorg/faults`)
    assert.deepEqual(await res.json(), { ...defaultFaults, introspectionDown: true })
    const down = await introspect(org, 'forcegate Gateway', 'anything')
    assert.equal(down.status, 503)
    assert.equal(JSON.parse(down.text)[0].errorCode, 'SERVER_UNAVAILABLE')
  })

  it('switches over the admin endpoint; the DevOrg object is the same live state', async () => {
    assert.deepEqual(
      (await setFaults({ introspectionDown: false, unavailable: true })).body.unavailable,
      true,
    )
    assert.equal(org.faults.unavailable, true)
    const token = await postForm(org, '/services/oauth2/token', { grant_type: 'client_credentials' })
    assert.equal(token.status, 503)
    assert.equal(JSON.parse(token.text)[0].errorCode, 'SERVER_UNAVAILABLE')
    org.faults.unavailable = false
    const gw = app(org, 'forcegate Gateway')
    const ok = await postForm(org, '/services/oauth2/token', {
      grant_type: 'client_credentials',
      client_id: gw.clientId,
      client_secret: gw.clientSecret,
    })
    assert.equal(ok.status, 200)
  })

  it('rate_limit_exceeded on the token endpoint (the REST slice answers REQUEST_LIMIT_EXCEEDED itself)', async () => {
    await setFaults({ requestLimitExceeded: true })
    const token = await postForm(org, '/services/oauth2/token', { grant_type: 'client_credentials' })
    assert.equal(token.status, 400)
    assert.deepEqual(token.json(), {
      error: 'rate_limit_exceeded',
      error_description: 'too many token requests',
    })
    assert.equal(decideFault(org.faults, '/services/data/v62.0/limits').answer, null)
    await setFaults({ requestLimitExceeded: false })
  })

  it('garbage: the OAuth endpoints answer 200 with a body that is not JSON, the admin endpoint still answers', async () => {
    await setFaults({ garbage: true })
    const gw = app(org, 'forcegate Gateway')
    const token = await postForm(org, '/services/oauth2/token', {
      grant_type: 'client_credentials',
      client_id: gw.clientId,
      client_secret: gw.clientSecret,
    })
    assert.equal(token.status, 200)
    assert.throws(() => JSON.parse(token.text))
    const discovery = await fetch(`${org.url}/.well-known/openid-configuration`)
    assert.equal(discovery.status, 200)
    await assert.rejects(discovery.json())
    assert.equal((await introspect(org, 'forcegate Gateway', 'x')).status, 200)
    assert.equal((await setFaults({ garbage: false })).body.garbage, false)
    assert.equal((await fetch(`${org.url}/.well-known/openid-configuration`)).status, 200)
    assert.equal(
      typeof (
        (await (await fetch(`${org.url}/.well-known/openid-configuration`)).json()) as { issuer: string }
      ).issuer,
      'string',
    )
    assert.equal((await setFaults({ garbage: 'yes' })).status, 400)
  })

  it('slows responses down by slowMs', async () => {
    await setFaults({ slowMs: 150 })
    const started = performance.now()
    await fetch(`${org.url}/.well-known/openid-configuration`)
    assert.ok(performance.now() - started >= 140)
    await setFaults({ slowMs: 0 })
  })

  it('rejects malformed switches with 400 and counts calls', async () => {
    assert.equal((await setFaults({ slowMs: -1 })).status, 400)
    assert.equal((await setFaults({ bogus: true })).status, 400)
    assert.equal(parseFaultsPatch([]), 'expected a JSON object')
    const before = org.counters.introspection
    await introspect(org, 'forcegate Gateway', 'x')
    assert.equal(org.counters.introspection, before + 1)
  })

  it('never faults the admin endpoint', () => {
    const all = { slowMs: 1000, unavailable: true, requestLimitExceeded: true, introspectionDown: true }
    assert.deepEqual(decideFault(all, '/__devorg/faults'), { delayMs: 0, answer: null })
    assert.equal(decideFault(all, '/services/oauth2/token').answer?.status, 503)
  })
})
