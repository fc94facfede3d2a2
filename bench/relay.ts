/**
 * `node bench/relay.ts [--events N] [--live N] [--concurrency C] [--target lambda|route]`:
 * the relay's throughput and latency against the dev org's Pub/Sub API, beside a bare
 * subscriber (our Pub/Sub client in this process, counting events and nothing else) in the
 * same run, so the ratio between them is what the relay's work costs.
 *
 * 1. live: both subscribed (from EARLIEST, after a warm-up event), N events are published over
 *    the REST API with C calls in flight, as an org's flows would. Each one's throughput is
 *    events / (its last arrival − the first publish call), and each event's latency runs from
 *    the moment its publish call was sent to the Lambda's invocation (or the bare subscriber's
 *    receipt): p50 and p99.
 * 2. backlog: the relay is stopped, N more events are published, and the relay and a new bare
 *    subscriber resume together: (events − 1) / (last arrival − first arrival) is each one's
 *    drain rate, the most it can take (the relay's is bound by one durable SQLite commit per
 *    event: the checkpoint moves only after the target succeeded).
 *
 * Acceptance: the relay's live throughput is at least half the bare subscriber's in the same
 * run. Every process runs under `timeout` in its own process group and is stopped at the end.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { credentials } from '@grpc/grpc-js'
import { type FetchResponse, type PubSubAuth, PubSubClient } from '../src/relay/pubsub-client.ts'
import { spawnBounded, stop, stopAll } from './lib/proc.ts'
import { fmtInt, fmtMs, fmtRatio } from './lib/stats.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(ROOT, 'bin', 'forcegate.js')
const TOPIC = '/event/Order_Event__e'
/** The default seed's gateway app: client credentials as the integration user. */
const APP = {
  clientId: '3MVG9iwXzIMfOUW0ycmkVIeCwkKPjXwOUuhG3SElTULNO0SUafL7Ns8E6xCrMjQxP1TpBNk3Vhlo43xdzTtxs',
  clientSecret: '8DEA1259C2809055A9152827DF3DCF710473089FF122795D3C07D9FDEFEC7DB6',
}

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '2000' },
    live: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '4' },
    target: { type: 'string', default: 'lambda' },
  },
})
const backlogCount = Number(values.events)
const liveCount = Number(values.live)
const concurrency = Number(values.concurrency)
const target = values.target === 'route' ? 'route' : 'lambda'

/** Appends `<EventUuid> <ms>` per invocation: read back for arrival times. */
const SINK = `import { appendFileSync } from 'node:fs'
const file = process.env.BENCH_ARRIVALS
export const handler = async (event) => {
  appendFileSync(file, (event.detail?.id ?? event.key) + ' ' + Date.now() + '\\n')
  return { ok: true }
}
`
const TEMPLATE = `#set($p = $input.path('$.payload'))
{"key": "$context.idempotencyKey", "order": "$p.Order_Number__c", "status": "$p.Status__c", "amount": $p.Amount__c}`

function api(): object {
  const uri =
    'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:sink/invocations'
  return {
    openapi: '3.0.3',
    info: { title: 'relay bench', version: '1' },
    paths: {
      '/orders/events': {
        post: {
          'x-amazon-apigateway-integration': {
            type: 'aws',
            httpMethod: 'POST',
            uri,
            passthroughBehavior: 'never',
            requestTemplates: { 'application/json': TEMPLATE },
            responses: { default: { statusCode: '200' } },
          },
        },
      },
    },
  }
}

async function waitForLog(file: string, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  for (let i = 0; i < 300; i++) {
    const m = existsSync(file) ? pattern.exec(readFileSync(file, 'utf8')) : null
    if (m !== null) return m
    await sleep(100)
  }
  throw new Error(`timed out waiting for ${what} (${file})`)
}

function arrivals(file: string): Map<string, number> {
  const out = new Map<string, number>()
  if (!existsSync(file)) return out
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [id, ms] = line.split(' ')
    if (id && ms && !out.has(id)) out.set(id, Number(ms))
  }
  return out
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
}

function countOf(ids: Iterable<string>, times: Map<string, number>): number {
  let n = 0
  for (const id of ids) if (times.has(id)) n++
  return n
}

async function drained(count: () => number, total: number, what: string): Promise<void> {
  const deadline = Date.now() + 120_000
  while (count() < total) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what} has ${count()} of ${total}`)
    await sleep(50)
  }
}

/** Our Pub/Sub client from EARLIEST, flow control as the relay does it, counting and nothing else. */
function bareSubscriber(endpoint: string, auth: PubSubAuth): { times: Map<string, number>; close(): void } {
  const times = new Map<string, number>()
  // The dev org's own certificate, unverified, on loopback: named as the relay names it.
  const insecure = credentials.createSsl(null, null, null, { rejectUnauthorized: false })
  const client = new PubSubClient(endpoint, insecure, undefined, 'localhost')
  const stream = client.subscribe(auth)
  stream.on('data', (r: FetchResponse) => {
    const now = Date.now()
    for (const e of r.events) if (!times.has(e.event.id)) times.set(e.event.id, now)
    if (r.events.length > 0) stream.write({ numRequested: r.events.length })
  })
  stream.on('error', () => {})
  stream.write({ topicName: TOPIC, replayPreset: 'EARLIEST', numRequested: 100 })
  return {
    times,
    close() {
      stream.cancel()
      client.close()
    },
  }
}

function configYaml(orgUrl: string, orgId: string, endpoint: string): string {
  const targetYaml =
    target === 'lambda' ? '{ lambda: { function: sink } }' : '{ route: { path: /orders/events } }'
  return [
    'log: { level: info }',
    'salesforce:',
    '  orgs:',
    '    devorg:',
    `      issuer: ${orgUrl}`,
    `      orgId: ${orgId}`,
    `      introspection: { clientId: ${APP.clientId}, clientSecret: { env: BENCH_SF_SECRET } }`,
    'relay:',
    '  store: relay.db',
    `  orgs: { devorg: { pubsub: { endpoint: "${endpoint}", insecure: true } } }`,
    'subscriptions:',
    `  - { name: bench, org: devorg, topic: ${TOPIC}, replay: earliest, batchSize: 100, target: ${targetYaml} }`,
    '',
  ].join('\n')
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'forcegate-relay-bench-'))
  const lifetime = 600
  try {
    const orgLog = join(work, 'devorg.log')
    spawnBounded(process.execPath, [BIN, 'devorg', '--port', '0', '--pubsub-port', '0'], {
      name: 'devorg',
      lifetimeSeconds: lifetime,
      logFile: orgLog,
    })
    const orgUrl = (await waitForLog(orgLog, /listening on (http:\/\/\S+)/, 'the dev org'))[1]!
    const endpoint = (await waitForLog(orgLog, /pub\/sub api:\s+(\S+)/, 'the Pub/Sub API'))[1]!
    const orgId = (await waitForLog(orgLog, /org id:\s+(00D\w+)/, 'the org id'))[1]!

    const tokenRes = await fetch(`${orgUrl}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: APP.clientId,
        client_secret: APP.clientSecret,
      }),
    })
    const token = ((await tokenRes.json()) as { access_token: string }).access_token
    const published = new Map<string, number>()
    async function publish(count: number, prefix: string): Promise<void> {
      let next = 0
      const worker = async () => {
        while (next < count) {
          const i = next++
          const sent = Date.now()
          const res = await fetch(`${orgUrl}/services/data/v62.0/sobjects/Order_Event__e`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ Order_Number__c: `${prefix}-${i}`, Status__c: 'Placed', Amount__c: i }),
          })
          if (res.status !== 201) throw new Error(`publish answered ${res.status}: ${await res.text()}`)
          published.set(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message, sent)
        }
      }
      await Promise.all(Array.from({ length: concurrency }, worker))
    }

    // The relay, as a separate process like in production.
    const functions = join(work, 'functions')
    mkdirSync(functions)
    await writeFile(join(functions, 'sink.mjs'), SINK)
    const relayArrivals = join(work, 'relay-arrivals.log')
    const configFile = join(work, 'forcegate.yaml')
    await writeFile(configFile, configYaml(orgUrl, orgId, endpoint))
    if (target === 'route') await writeFile(join(work, 'api.json'), JSON.stringify(api()))
    const relayArgs =
      target === 'lambda'
        ? [BIN, 'relay', '--config', configFile, '--functions', functions]
        : [
            BIN,
            'serve',
            '--port',
            '0',
            '--api',
            join(work, 'api.json'),
            '--config',
            configFile,
            '--functions',
            functions,
          ]
    const startRelay = () =>
      spawnBounded(process.execPath, relayArgs, {
        name: 'relay',
        lifetimeSeconds: lifetime,
        logFile: join(work, 'relay.log'),
        env: { BENCH_SF_SECRET: APP.clientSecret, BENCH_ARRIVALS: relayArrivals },
      })
    let relay = startRelay()
    let bare = bareSubscriber(endpoint, { accessToken: token, instanceUrl: orgUrl, tenantId: orgId })
    const relayTimes = () => arrivals(relayArrivals)

    // Warm-up: one event both have received before anything is measured.
    await publish(1, 'WARMUP')
    await drained(() => countOf(published.keys(), bare.times), 1, 'the bare subscriber (warm-up)')
    await drained(() => countOf(published.keys(), relayTimes()), 1, 'the relay (warm-up)')

    // 1. Live.
    published.clear()
    const t1 = Date.now()
    await publish(liveCount, 'LIVE')
    const publishRate = (liveCount * 1000) / (Date.now() - t1)
    await drained(() => countOf(published.keys(), bare.times), liveCount, 'the bare subscriber')
    await drained(() => countOf(published.keys(), relayTimes()), liveCount, 'the relay')
    const live = [...published]
    const liveRate = (times: Map<string, number>) =>
      (live.length * 1000) / Math.max(1, Math.max(...live.map(([id]) => times.get(id)!)) - t1)
    const latencies = (times: Map<string, number>) =>
      live.map(([id, sent]) => times.get(id)! - sent).sort((a, b) => a - b)
    const bareLive = liveRate(bare.times)
    const relayLive = liveRate(relayTimes())
    const bareLat = latencies(bare.times)
    const relayLat = latencies(relayTimes())

    // 2. Backlog: published while neither runs, then drained by both at once.
    await stop(relay)
    bare.close()
    published.clear()
    await publish(backlogCount, 'BACKLOG')
    const backlog = [...published.keys()]
    relay = startRelay()
    bare = bareSubscriber(endpoint, { accessToken: token, instanceUrl: orgUrl, tenantId: orgId })
    await drained(() => countOf(backlog, bare.times), backlog.length, 'the bare subscriber (backlog)')
    await drained(() => countOf(backlog, relayTimes()), backlog.length, 'the relay (backlog)')
    const drainRate = (times: Map<string, number>) => {
      const t = backlog.map((id) => times.get(id)!).sort((a, b) => a - b)
      return ((t.length - 1) * 1000) / Math.max(1, t.at(-1)! - t[0]!)
    }
    const bareRate = drainRate(bare.times)
    const relayRate = drainRate(relayTimes())
    bare.close()

    const ratio = relayLive / bareLive
    const rows = [
      ['', 'live events/s', 'p50 ms', 'p99 ms', 'backlog drain events/s'],
      [
        'bare subscriber',
        fmtInt(bareLive),
        fmtMs(percentile(bareLat, 50)),
        fmtMs(percentile(bareLat, 99)),
        fmtInt(bareRate),
      ],
      [
        `relay → ${target === 'lambda' ? 'Lambda' : 'type: aws route → Lambda'}`,
        fmtInt(relayLive),
        fmtMs(percentile(relayLat, 50)),
        fmtMs(percentile(relayLat, 99)),
        fmtInt(relayRate),
      ],
    ]
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
    const out = [
      `relay bench: ${liveCount} live events (${concurrency} REST publishes in flight, ${fmtInt(publishRate)}/s), ${backlogCount} backlog events`,
      ...rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')),
      `relay / bare live throughput: ${fmtRatio(ratio)} (${ratio >= 0.5 ? 'meets' : 'BELOW'} the 0.5× floor); backlog drain: ${fmtRatio(relayRate / bareRate)}`,
      '',
    ].join('\n')
    process.stdout.write(out)
    mkdirSync(join(ROOT, 'bench', '.work'), { recursive: true })
    appendFileSync(join(ROOT, 'bench', '.work', 'last-relay.md'), `${new Date().toISOString()}\n${out}\n`)
    if (ratio < 0.5) process.exitCode = 1
  } finally {
    await stopAll()
    await rm(work, { recursive: true, force: true })
  }
}

await main()
