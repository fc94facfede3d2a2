import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { Agent, setGlobalDispatcher } from 'undici'
import { runDevorgCli } from '../../../devorg/cli.ts'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { DEFAULT_SEED_PATH } from '../../../devorg/seed/load-seed.ts'
import type { DevOrgSeed } from '../../../devorg/seed/seed-types.ts'

// Restarts reuse the port; pooled keep-alive sockets to the closed org must not be reused.
setGlobalDispatcher(new Agent({ pipelining: 0 }))

const dir = mkdtempSync(join(tmpdir(), 'devorg-org-seed-'))
after(() => rmSync(dir, { recursive: true, force: true }))

/** The default seed with its own user and password-flow app, written to a file. */
function customSeed(name: string, appSecret = 'C0FFEE'.repeat(10)): { file: string; seed: DevOrgSeed } {
  const seed = JSON.parse(readFileSync(DEFAULT_SEED_PATH, 'utf8')) as DevOrgSeed
  seed.users.push({
    username: 'maria@custom.example.com',
    password: 'Custom-Seed-1',
    email: 'maria@custom.example.com',
    firstName: 'Maria',
    lastName: 'Custom',
    active: true,
  })
  seed.connectedApps.push({
    name: 'Custom Seed App',
    clientId: '3MVG9CustomSeedAppClientIdForRestartTests',
    clientSecret: appSecret,
    redirectUris: ['http://127.0.0.1:9999/cb'],
    scopes: ['api'],
    jwtAccessTokens: false,
    introspectAll: false,
    passwordFlow: true,
  })
  const file = join(dir, name)
  writeFileSync(file, JSON.stringify(seed, null, 2))
  return { file, seed }
}

async function signIn(org: DevOrg): Promise<{ status: number; body: Record<string, unknown> }> {
  const app = org.seed.connectedApps.find((a) => a.name === 'Custom Seed App')
  const res = await fetch(`${org.url}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: '3MVG9CustomSeedAppClientIdForRestartTests',
      client_secret: app?.clientSecret ?? 'C0FFEE'.repeat(10),
      username: 'maria@custom.example.com',
      password: 'Custom-Seed-1',
    }),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

function capture() {
  const io = {
    outText: '',
    errText: '',
    out: (t: string) => {
      io.outText += t
    },
    err: (t: string) => {
      io.errText += t
    },
  }
  return io
}

describe('a data folder remembers the seed it was created with', () => {
  it('restarted without --seed, it is the same org: its seeded users and apps still sign in', async () => {
    const data = join(dir, 'remember')
    const { file } = customSeed('remember.json')
    const first = await startDevOrg({ port: 0, dataDir: data, seed: file })
    assert.equal((await signIn(first)).status, 200)
    const port = Number(new URL(first.url).port)
    await first.close()

    const second = await startDevOrg({ port, dataDir: data })
    try {
      const again = await signIn(second)
      assert.equal(again.status, 200, JSON.stringify(again.body))
      assert.ok(second.seed.users.some((u) => u.username === 'maria@custom.example.com'))
    } finally {
      await second.close()
    }
  })

  it('the same --seed again is fine', async () => {
    const data = join(dir, 'same')
    const { file } = customSeed('same.json')
    await (await startDevOrg({ port: 0, dataDir: data, seed: file })).close()
    const again = await startDevOrg({ port: 0, dataDir: data, seed: file })
    try {
      assert.equal((await signIn(again)).status, 200)
    } finally {
      await again.close()
    }
  })

  it('a different --seed is refused with exit 2, naming the folder, its seed and --reseed', async () => {
    const data = join(dir, 'refuse')
    const { file } = customSeed('refuse.json')
    await (await startDevOrg({ port: 0, dataDir: data, seed: file })).close()
    const other = customSeed('other.json', 'BEEF'.repeat(16))

    const io = capture()
    assert.equal(await runDevorgCli(['--port', '0', '--data', data, '--seed', other.file], io), 2)
    assert.ok(io.errText.includes(data), io.errText)
    assert.ok(io.errText.includes(file), io.errText)
    assert.ok(io.errText.includes(other.file), io.errText)
    assert.match(io.errText, /--reseed/)
    assert.equal(io.outText, '')

    // The default seed is a different seed too, when named.
    const named = capture()
    assert.equal(await runDevorgCli(['--port', '0', '--data', data, '--seed', DEFAULT_SEED_PATH], named), 2)

    // Refused, the folder is still the org it was.
    const still = await startDevOrg({ port: 0, dataDir: data })
    try {
      assert.equal((await signIn(still)).status, 200)
    } finally {
      await still.close()
    }
  })

  it('--reseed makes the new seed the folder seed, for this start and the next', async () => {
    const data = join(dir, 'reseed')
    const { file } = customSeed('reseed.json')
    await (await startDevOrg({ port: 0, dataDir: data, seed: file })).close()
    const other = customSeed('reseed-other.json', 'BEEF'.repeat(16))

    const reseeded = await startDevOrg({ port: 0, dataDir: data, seed: other.file, reseed: true })
    try {
      assert.equal(reseeded.seed.connectedApps.at(-1)?.clientSecret, 'BEEF'.repeat(16))
      assert.equal((await signIn(reseeded)).status, 200)
    } finally {
      await reseeded.close()
    }
    const next = await startDevOrg({ port: 0, dataDir: data })
    try {
      assert.equal(next.seed.connectedApps.at(-1)?.clientSecret, 'BEEF'.repeat(16))
    } finally {
      await next.close()
    }
    await assert.rejects(startDevOrg({ port: 0, dataDir: data, seed: file }), /--reseed/)
  })

  it('keeps the folder private: 0700, its database files 0600', async () => {
    const data = join(dir, 'private')
    const org = await startDevOrg({ port: 0, dataDir: data })
    try {
      assert.equal(statSync(data).mode & 0o777, 0o700)
      for (const file of ['devorg.sqlite', 'devorg.sqlite-wal', 'devorg.sqlite-shm']) {
        assert.equal(statSync(join(data, file)).mode & 0o777, 0o600, file)
      }
    } finally {
      await org.close()
    }
  })
})
