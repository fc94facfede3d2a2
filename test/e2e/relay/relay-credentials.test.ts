// The relay's credentials at the dev org: the JWT bearer flow (RFC 7523) with the private key of
// the certificate uploaded to a connected app that has no client credentials at all, and a token
// the org stops accepting (revoked), renewed by the relay, which then delivers what was published.

import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { loadSeed } from '../../../devorg/seed/load-seed.ts'
import {
  countsOf,
  forcegate,
  type RelayFixture,
  relayFixture,
  relayInProcess,
  runRelay,
  serveRelay,
  until,
} from './relay-harness.ts'

const LAMBDA = {
  replay: 'earliest',
  target: { lambda: { function: 'bridge-sink' } },
  retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
}
const JWT_APP = 'relay-jwt-bearer-app'
const INTEGRATION_USER = 'integration@forcegate.example.com'

function pemPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  }
}

describe('relay credentials: JWT bearer', () => {
  const key = pemPair()
  let f: RelayFixture
  before(async () => {
    const seed = loadSeed(undefined)
    // An app that can only be used with its certificate: no Run-As user, so no client credentials.
    seed.connectedApps.push({
      name: 'Relay JWT',
      clientId: JWT_APP,
      clientSecret: 'never-sent-by-the-relay-0000',
      redirectUris: [],
      scopes: ['api'],
      jwtAccessTokens: false,
      introspectAll: false,
      passwordFlow: false,
      certificate: key.publicKey,
    })
    f = await relayFixture(LAMBDA, {
      org: { seed },
      relayOrg: {
        clientId: JWT_APP,
        jwtBearer: { username: INTEGRATION_USER, privateKey: { file: 'relay-key.pem' } },
      },
    })
    await writeFile(join(f.api.dir, 'relay-key.pem'), key.privateKey, { mode: 0o600 })
  })
  after(() => f.close())

  it('signs an assertion with the file key, gets the integration user a token and delivers', async () => {
    const tokens: Record<string, unknown>[] = []
    const watching: typeof fetch = async (input, init) => {
      const res = await fetch(input, init)
      tokens.push({ grant: new URLSearchParams(String(init?.body)).get('grant_type'), status: res.status })
      return res
    }
    const r = await relayInProcess(f, { fetch: watching })
    try {
      const uuids = await f.publish(['SO-1', 'SO-2'])
      await until(() => f.effects.applied().length === 2, 'two effects')
      assert.deepEqual(countsOf(f.effects.invocations()), new Map(uuids.map((u) => [u, 1])))
      assert.deepEqual(tokens, [{ grant: 'urn:ietf:params:oauth:grant-type:jwt-bearer', status: 200 }])
    } finally {
      await r.close()
    }
  })

  it('a key the app does not hold is refused by the org: the relay says so and keeps retrying', async () => {
    await writeFile(join(f.api.dir, 'relay-key.pem'), pemPair().privateKey, { mode: 0o600 })
    const relay = runRelay(f)
    try {
      await relay.output.waitForLine(
        /answered 400 invalid_grant: invalid assertion.*subscription interrupted; reconnecting/,
      )
      await f.publish(['SO-3'])
      assert.equal(f.effects.applied().length, 2)
    } finally {
      assert.equal(await relay.stop(), 0)
    }
  })
})

describe('relay credentials: JWT bearer configuration refused at start', () => {
  let f: RelayFixture
  before(async () => {
    f = await relayFixture(LAMBDA, {
      relayOrg: {
        clientId: JWT_APP,
        clientSecret: { env: 'RELAY_TEST_ORG_SECRET' },
        jwtBearer: { username: INTEGRATION_USER, privateKey: { file: 'relay-key.pem' } },
      },
    })
    await writeFile(join(f.api.dir, 'relay-key.pem'), pemPair().publicKey)
  })
  after(() => f.close())

  it('a file that is no private key, and a client secret beside jwtBearer: both named, with their lines', async () => {
    const run = await forcegate(['relay', '--config', f.configFile, '--functions', f.api.functionsDir])
    assert.equal(run.code, 1)
    assert.match(
      run.stderr,
      /forcegate\.yaml:\d+: \/relay\/orgs\/devorg\/jwtBearer\/privateKey: must be a PEM private key/,
    )
    assert.match(
      run.stderr,
      /forcegate\.yaml:\d+: \/relay\/orgs\/devorg\/clientSecret: is not used with jwtBearer/,
    )
  })
})

describe('relay credentials: a token the org no longer accepts', () => {
  let f: RelayFixture
  before(async () => {
    f = await relayFixture(LAMBDA)
  })
  after(() => f.close())

  it('revoked at the org: the relay fetches a new token and delivers what was published meanwhile', async () => {
    const tokens: string[] = []
    const watching: typeof fetch = async (input, init) => {
      const res = await fetch(input, init)
      const body = (await res.clone().json()) as { access_token?: string }
      if (body.access_token !== undefined) tokens.push(body.access_token)
      return res
    }
    const r = await relayInProcess(f, { fetch: watching })
    try {
      const [first] = await f.publish(['SO-1'])
      await until(() => f.effects.applied().includes(first!), 'the first event')
      assert.equal(tokens.length, 1)
      const revoked = await fetch(`${f.org.url}/services/oauth2/revoke`, {
        method: 'POST',
        body: new URLSearchParams({ token: tokens[0]! }),
      })
      assert.equal(revoked.status, 200)
      // The dev org checks the token when a call starts: its restart ends the stream, and the
      // relay's reconnect presents the revoked token (kept data: the revocation holds).
      await f.restartOrg()
      const later = await f.publish(['SO-2', 'SO-3'])
      await until(
        () => later.every((u) => f.effects.applied().includes(u)),
        'the events after the revocation',
      )
      assert.equal(tokens.length, 2, 'one new token')
      assert.ok(
        r.logs.some((l) => l.msg === 'the org refused the token; fetching a new one'),
        JSON.stringify(r.logs),
      )
      const counts = countsOf(f.effects.invocations())
      for (const u of [first!, ...later]) assert.equal(counts.get(u), 1, u)
    } finally {
      await r.close()
    }
  })
})

describe('relay credentials: its own org token presented to a route', () => {
  let f: RelayFixture
  before(async () => {
    f = await relayFixture({
      replay: 'earliest',
      target: { route: { path: '/orders/secured', authorization: 'org' } },
      retry: { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 50 },
    })
  })
  after(() => f.close())

  it('the route admits the relay as the org; revoked mid-stream, the route refuses it and the relay renews it', async () => {
    const gw = await serveRelay(f)
    try {
      const [first] = await f.publish(['SO-1'])
      await until(() => f.effects.applied().includes(first!), 'the first event')
      const [bearer] = f.effects.authorizations()
      assert.match(bearer ?? '', /^Bearer 00D/)
      const revoked = await fetch(`${f.org.url}/services/oauth2/revoke`, {
        method: 'POST',
        body: new URLSearchParams({ token: bearer!.slice('Bearer '.length) }),
      })
      assert.equal(revoked.status, 200)
      // The subscription stays open; the gateway introspects the revoked token: 401.
      const [second] = await f.publish(['SO-2'])
      await until(() => f.effects.applied().includes(second!), 'the event after the revocation')
      await gw.output.waitForLine(/"relay":"orders".*refused the org token \(401\).*relay delivery failed/)
      const used = f.effects.authorizations()
      assert.equal(used.length, 2, 'the refused attempt never reached the function')
      assert.notEqual(used[1], bearer, 'a new token')
      assert.deepEqual(countsOf(f.effects.invocations()), new Map([first, second].map((u) => [u, 1])))
    } finally {
      assert.equal(await gw.stop(), 0)
    }
  })
})
