import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConfigError } from '../../src/errors/config-error.ts'
import { PARTNER, startOpportunitiesEnv } from '../e2e/portal/opportunities-env.ts'

test('with portal.opportunities off, the pages do not exist and the portal links to none', async () => {
  const env = await startOpportunitiesEnv({ enabled: false })
  try {
    assert.equal(await env.loginScope(), 'openid profile email')
    const browser = await env.signIn(PARTNER)
    const apps = await browser.get(`${env.origin}/portal/apps`)
    assert.equal(apps.status, 200)
    assert.doesNotMatch(apps.body, /\/portal\/opportunities/)
    for (const path of ['/portal/opportunities', '/portal/opportunities/0065g00000Acme1']) {
      const res = await browser.get(`${env.origin}${path}`)
      assert.equal(res.status, 404, path)
    }
    const posted = await fetch(`${env.origin}/portal/opportunities/0065g00000Acme1/contracts`, {
      method: 'POST',
      headers: { cookie: browser.jar.header(), 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF\r\n--x--\r\n',
    })
    assert.equal(posted.status, 404)
  } finally {
    await env.close()
  }
})

test('a contract limit the gateway would refuse first is a configuration error naming both settings', async () => {
  await assert.rejects(startOpportunitiesEnv({ enabled: true, maxBytes: 10_485_760 }), (err: unknown) => {
    assert.ok(err instanceof ConfigError, String(err))
    assert.match(err.message, /\/portal\/opportunities\/maxBytes/)
    assert.match(err.message, /server\.maxBodyBytes of at least 10551296/)
    return true
  })
})
