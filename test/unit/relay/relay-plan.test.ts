import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { readGatewayFile } from '../../../src/config/read-gateway-file.ts'
import { parseSourceText } from '../../../src/config/source-document.ts'
import { ConfigErrors } from '../../../src/errors/config-error.ts'
import { planRelay } from '../../../src/relay/relay-plan.ts'
import { retryDelayMs } from '../../../src/relay/retry-delay.ts'

const ORG = `salesforce:
  orgs:
    acme:
      issuer: https://acme.my.salesforce.com
      orgId: 00D000000000001AAA
      introspection: { clientId: gw, clientSecret: { env: ACME_SECRET } }
`

function plan(yaml: string, env: NodeJS.ProcessEnv = { ACME_SECRET: 's3cret' }) {
  const doc = parseSourceText('/cfg/forcegate.yaml', yaml)
  return planRelay(readGatewayFile(doc), doc.file, (p) => doc.lineOf(p), env)
}

describe('relay configuration', () => {
  it('plans a subscription: the introspection app by default, the store beside the file', () => {
    const p = plan(`${ORG}relay:
  orgs:
    acme: { pubsub: { endpoint: "api.pubsub.salesforce.com:7443" } }
subscriptions:
  - { name: orders, org: acme, topic: /event/Order_Event__e, target: { lambda: { function: order-sink } } }
`)
    assert.equal(p.storePath, '/cfg/.forcegate/relay.db')
    const [sub] = p.subscriptions
    assert.equal(sub?.org.clientId, 'gw')
    assert.deepEqual(sub?.org.grant, { kind: 'client_credentials', clientSecret: 's3cret' })
    assert.equal(sub?.config.onLostReplay, 'fail')
    assert.equal(sub?.config.batchSize, 100)
    assert.deepEqual(sub?.target, {
      kind: 'lambda',
      fn: { name: 'order-sink', arn: 'arn:aws:lambda:us-east-1:123456789012:function:order-sink' },
      timeoutMs: 30_000,
    })
  })

  it('reports every cross-section problem in one run, with pointer and line', () => {
    let caught: unknown
    try {
      plan(`${ORG}relay:
  orgs:
    acme: { pubsub: { endpoint: "pubsub.example.com:7443", insecure: true } }
subscriptions:
  - { name: a, org: acme, topic: /event/A__e, target: { timeoutMs: 1000 } }
  - { name: a, org: nope, topic: /event/A__e, replay: custom, target: { route: { path: /x, headers: { X-Forcegate-Foo: "1" } } } }
`)
    } catch (err) {
      caught = err
    }
    assert.ok(caught instanceof ConfigErrors)
    const messages = caught.errors.map((e) => e.message)
    for (const expected of [
      /forcegate\.yaml:9: \/relay\/orgs\/acme\/pubsub\/insecure: is accepted for loopback endpoints only/,
      /forcegate\.yaml:11: \/subscriptions\/0\/target: needs exactly one of route or lambda/,
      /\/subscriptions\/1\/name: another subscription is already named a/,
      /forcegate\.yaml:12: \/subscriptions\/1\/replay: custom needs a replayId/,
      /\/subscriptions\/1\/org: names no org under salesforce\.orgs \(nope\)/,
      /\/subscriptions\/1\/target\/route\/headers\/X-Forcegate-Foo: x-forcegate-\* headers/,
    ])
      assert.ok(
        messages.some((m) => expected.test(m)),
        `${expected} in\n${messages.join('\n')}`,
      )
  })

  it('a dedupe window shorter than the replay retention is refused', () => {
    assert.throws(
      () => plan(`${ORG}relay: { dedupeWindowMs: 3600000 }\n`),
      /\/relay\/dedupeWindowMs: expected an integer from 259200000 to 2592000000, found number 3600000/,
    )
  })
})

describe('retry delay', () => {
  it('grows exponentially to the cap, jittered between half and all of it', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 }
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => retryDelayMs(n, policy, () => 0)),
      [50, 100, 200, 400, 500],
    )
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => retryDelayMs(n, policy, () => 0.999999)),
      [99, 199, 399, 799, 999],
    )
  })
})
