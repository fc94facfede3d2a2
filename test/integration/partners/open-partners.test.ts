import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { ConfigError } from '../../../src/errors/config-error.ts'
import { readBody } from '../../../src/http/read-body.ts'
import { openPartners } from '../../../src/partners/open-partners.ts'
import { PARTNERS_DEFAULTS, type PartnersConfig } from '../../../src/partners/partners-config.ts'
import { StoreError } from '../../../src/store/store-error.ts'

let org: DevOrg
const dir = mkdtempSync(join(tmpdir(), 'fg-open-'))
before(async () => {
  org = await startDevOrg({ port: 0 })
})
after(async () => {
  await org.close()
  rmSync(dir, { recursive: true, force: true })
})

function config(path: string, overrides: Partial<PartnersConfig> = {}): PartnersConfig {
  return {
    ...PARTNERS_DEFAULTS,
    org: { ...PARTNERS_DEFAULTS.org, url: org.url, initialAccessToken: { env: 'IAT' } },
    store: { kind: 'sqlite', path },
    encryption: { key: { env: 'KEY' }, previousKeys: [] },
    usagePlans: [{ name: 'gold', throttle: { rateLimit: 1, burstLimit: 1 } }],
    admin: { token: { env: 'ADMIN' }, maxBodyBytes: 4096 },
    ...overrides,
  }
}

describe('openPartners', () => {
  it('wires service, plans, limiter and admin API from configuration', async () => {
    const env = {
      IAT: org.seed.initialAccessToken,
      KEY: randomBytes(32).toString('base64'),
      ADMIN: 'an-admin-token-of-some-length',
    }
    const runtime = openPartners(config(join(dir, 'a.db')), { file: 'forcegate.yaml', env })
    try {
      const { credentials } = await runtime.service.register({
        name: 'A',
        redirectUris: ['https://a.example/cb'],
        contracts: [{ api: 'orders', scopes: ['api'], usagePlan: 'gold' }],
      })
      const decision = await runtime.service.contractFor(credentials.clientId, 'orders')
      const plan = runtime.plans.get(decision.usagePlan!)!
      assert.equal((await runtime.limiter.consume(credentials.clientId, plan)).allowed, true)
      assert.equal((await runtime.limiter.consume(credentials.clientId, plan)).allowed, false)

      const server = createServer(async (req, res) => {
        if (!(await runtime.adminApi!(req, res, await readBody(req, 1_048_576)))) res.writeHead(404).end()
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_forcegate/partners`
      const listed = await fetch(url, { headers: { authorization: `Bearer ${env.ADMIN}` } })
      assert.equal(listed.status, 200)
      assert.equal(((await listed.json()) as { partners: unknown[] }).partners.length, 1)
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    } finally {
      await runtime.close()
    }
  })

  it('registers without an initial access token only to fail with DCR_UNAUTHORIZED', async () => {
    const env = { KEY: randomBytes(32).toString('base64'), ADMIN: 'an-admin-token-of-some-length' }
    const runtime = openPartners(config(':memory:'), { file: 'forcegate.yaml', env })
    await assert.rejects(
      runtime.service.register({
        name: 'A',
        redirectUris: ['https://a.example/cb'],
        contracts: [{ api: 'o', scopes: [] }],
      }),
      (e: unknown) => (e as { code?: string }).code === 'DCR_UNAUTHORIZED',
    )
    await runtime.close()
  })

  it('points at the field for a missing or bad key, a bad plan or a short admin token', () => {
    const key = randomBytes(32).toString('base64')
    const pointerOf = (fn: () => unknown) => {
      try {
        fn()
      } catch (e) {
        assert.ok(e instanceof ConfigError, String(e))
        return e.pointer
      }
      assert.fail('expected a ConfigError')
    }
    const open = (cfg: PartnersConfig, env: NodeJS.ProcessEnv) => openPartners(cfg, { file: 'f.yaml', env })
    assert.equal(
      pointerOf(() => open(config(':memory:'), { ADMIN: 'x'.repeat(16) })),
      '/partners/encryption/key',
    )
    assert.equal(
      pointerOf(() => open(config(':memory:'), { KEY: 'c2hvcnQ=', ADMIN: 'x'.repeat(16) })),
      '/partners/encryption',
    )
    assert.equal(
      pointerOf(() => open(config(':memory:', { usagePlans: [{ name: 'bad name' }] }), { KEY: key })),
      '/partners/usagePlans',
    )
    assert.equal(
      pointerOf(() => open(config(':memory:'), { KEY: key, ADMIN: 'short' })),
      '/partners/admin/token',
    )
    // The initial access token would travel in clear to a plain-http org off this machine.
    const plainHttp = config(':memory:', {
      org: { ...PARTNERS_DEFAULTS.org, url: 'http://org.example.com', initialAccessToken: { env: 'IAT' } },
    })
    assert.equal(
      pointerOf(() => open(plainHttp, { KEY: key, ADMIN: 'x'.repeat(16) })),
      '/partners/org/url',
    )
  })

  it('refuses to start on a wrong encryption key', async () => {
    const path = join(dir, 'b.db')
    const env = { IAT: org.seed.initialAccessToken, KEY: randomBytes(32).toString('base64') }
    const first = openPartners(config(path, { admin: { maxBodyBytes: 1 } }), { file: 'f', env })
    assert.equal(first.adminApi, undefined)
    await first.service.register({
      name: 'A',
      redirectUris: ['https://a.example/cb'],
      contracts: [{ api: 'o', scopes: [] }],
    })
    await first.close()
    assert.throws(
      () =>
        openPartners(config(path), {
          file: 'f',
          env: { ...env, KEY: randomBytes(32).toString('base64'), ADMIN: 'x'.repeat(16) },
        }),
      (e: unknown) => e instanceof StoreError && e.code === 'STORE_KEY_UNKNOWN',
    )
  })
})
