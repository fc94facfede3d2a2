// The README's order-event walkthrough against `npm start` (bin/start.ts): an Order_Event__e
// published by curl at the dev org's REST API reaches POST /orders/events through the relay
// npm start runs, the route's mapping template reshapes it for the order-events function, and
// one curl shows the effect; then the reverse path, a Named Credential's callout with the
// integration user's token, reaches a route protected by x-forcegate-salesforce.

import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { type ProcessOutput, watchOutput } from '../helpers/wait-for-line.ts'

const START = fileURLToPath(new URL('../../bin/start.ts', import.meta.url))
const GATEWAY_APP = '3MVG9iwXzIMfOUW0ycmkVIeCwkKPjXwOUuhG3SElTULNO0SUafL7Ns8E6xCrMjQxP1TpBNk3Vhlo43xdzTtxs'
const PORTAL_APP = '3MVG9SeZiBbYhM1IcaYOlhhKwY5Xf81QZGxztMCJA0RhNonUnfNAecnTvR0dQUge1e4Tdp8pdM2Y04Wv7kcUC'
const INTEGRATION_USER = 'integration@forcegate.example.com'

let home: string
let child: ChildProcess
let output: ProcessOutput
let gatewayUrl: string
let orgUrl: string

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'forcegate-start-events-'))
  child = spawn(process.execPath, [START], {
    env: {
      ...process.env,
      FORCEGATE_HOME: home,
      FORCEGATE_PORT: '0',
      FORCEGATE_DEVORG_PORT: '0',
      FORCEGATE_PUBSUB_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  output = watchOutput(child, 'npm start')
  const [, gw, org] = await output.waitForLine(/Gateway: (http:\/\/\S+)\s+Dev org: (http:\/\/\S+)/, 30_000)
  gatewayUrl = gw!
  orgUrl = org!
})
after(async () => {
  if (child?.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    await exited
  }
  await rm(home, { recursive: true, force: true })
})

/** `set -a; . .forcegate/forcegate.env; set +a`, as the README has the reader do. */
async function envFile(): Promise<Record<string, string>> {
  const text = await readFile(join(home, 'forcegate.env'), 'utf8')
  return Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]),
  )
}

async function token(form: Record<string, string>): Promise<string> {
  const res = await fetch(`${orgUrl}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams(form),
  })
  assert.equal(res.status, 200, await res.clone().text())
  return ((await res.json()) as { access_token: string }).access_token
}

test('an order event published at the org changes the order, seen with one curl; a callout reaches its route', async () => {
  await output.waitForLine(/"relay":"order-events".*"msg":"relay subscription starting"/)
  const env = await envFile()
  // 1. The integration user's token (client credentials of the forcegate Gateway app).
  const sfToken = await token({
    grant_type: 'client_credentials',
    client_id: GATEWAY_APP,
    client_secret: env.FORCEGATE_SF_CLIENT_SECRET!,
  })
  const auth = { authorization: `Bearer ${sfToken}` }

  // 2. Publish Order_Event__e at the org's REST API.
  const published = await fetch(`${orgUrl}/services/data/v62.0/sobjects/Order_Event__e`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ Order_Number__c: '1002', Status__c: 'SHIPPED', Amount__c: 310.5 }),
  })
  assert.equal(published.status, 201)
  const eventUuid = ((await published.json()) as { errors: { message: string }[] }).errors[0]!.message

  // 3. One curl shows the effect (the relay delivers within moments: ask until it has).
  type Events = {
    orderId: string
    status: string | null
    events: { eventId: string; status: string; amount: number; relayedBy: string; publishedAt: number }[]
  }
  const events = await eventually(async () => {
    const res = await fetch(`${gatewayUrl}/orders/1002/events`, { headers: auth })
    assert.equal(res.status, 200)
    const body = (await res.json()) as Events
    return body.status === 'SHIPPED' ? body : undefined
  }, 'the relayed event')
  assert.equal(events.events.length, 1)
  const [applied] = events.events
  // The template passed $context.idempotencyKey: the EventUuid the org gave the event.
  assert.equal(applied?.eventId, eventUuid)
  assert.equal(applied?.amount, 310.5)
  assert.equal(applied?.relayedBy, INTEGRATION_USER)
  assert.equal(typeof applied?.publishedAt, 'number')
  await output.waitForLine(
    new RegExp(`"relay":"order-events".*"eventUuid":"${eventUuid}".*"outcome":"delivered"`),
  )
  // The relay reaches the dev org on 127.0.0.1 by the name its certificate has: no TLS warning
  // (an IP address as the server name) lands in the log as an error.
  assert.doesNotMatch(output.text(), /DEP0123|"level":50/)

  // The route admits any user of the org; the function applies only the integration user's events.
  const partner = await token({
    grant_type: 'password',
    client_id: PORTAL_APP,
    client_secret: (
      await import('../../devorg/seed/default-seed.json', { with: { type: 'json' } })
    ).default.connectedApps.find((a: { clientId: string }) => a.clientId === PORTAL_APP)!.clientSecret,
    username: 'admin@partner.example.com',
    password: 'Partner-Admin-1',
  })
  const forged = await fetch(`${gatewayUrl}/orders/events`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${partner}`,
      'content-type': 'application/json',
      'idempotency-key': 'x',
    },
    body: JSON.stringify({ payload: { Order_Number__c: '1002', Status__c: 'CANCELLED', CreatedDate: 1 } }),
  })
  assert.equal(forged.status, 403, await forged.clone().text())
  assert.equal((await fetch(`${gatewayUrl}/orders/events`, { method: 'POST', body: '{}' })).status, 401)

  // 4. The reverse path: what an Apex or Flow callout through a Named Credential sends.
  assert.equal((await fetch(`${gatewayUrl}/salesforce/orders/1002`)).status, 401)
  const callout = await fetch(`${gatewayUrl}/salesforce/orders/1002`, { headers: auth })
  assert.equal(callout.status, 200)
  const order = (await callout.json()) as { status: string; caller: { username: string; userId: string } }
  assert.equal(order.status, 'SHIPPED', 'the relayed event changed the order')
  assert.equal(order.caller.username, INTEGRATION_USER)
  assert.match(order.caller.userId, /^005/)
})

async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const start = Date.now()
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() - start > 30_000) throw new Error(`timed out waiting for ${what}\n${output.text()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
