// The pieces of the relay's end-to-end tests: a dev org serving the Pub/Sub API (restartable on
// the same ports and data folder), an API whose route hands events to a Lambda that applies
// each effect once per idempotency key and logs every invocation, the forcegate.yaml that
// subscribes to Order_Event__e, and the real `forcegate serve` / `forcegate relay` processes.

import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type DevOrg, type DevOrgOptions, startDevOrg } from '../../../devorg/index.ts'
import { LocalLambdaInvoker } from '../../../src/aws/local-lambda-invoker.ts'
import { readGatewayFile } from '../../../src/config/read-gateway-file.ts'
import { loadSourceDocument } from '../../../src/config/source-document.ts'
import { type Relay, startRelay } from '../../../src/relay/relay.ts'
import { planRelay } from '../../../src/relay/relay-plan.ts'
import { clientCredentialsToken } from '../../devorg/oauth/org-client.ts'
import { BIN } from '../../helpers/cli-process.ts'
import { devorgSalesforceYaml } from '../../helpers/devorg-gateway-config.ts'
import { lambdaOp, type TempApi, tempApi } from '../../helpers/temp-api.ts'
import { type ProcessOutput, watchOutput } from '../../helpers/wait-for-line.ts'

export const TOPIC = '/event/Order_Event__e'

/**
 * Each invocation appends its key to invocations.log; the effect (a file named after the key,
 * created exclusively) is applied once whatever the number of deliveries. With a file named
 * `failing` in the folder the function throws, so the route answers 502.
 */
function sinkSource(effects: string): string {
  return `import { appendFileSync, closeSync, existsSync, openSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
const dir = ${JSON.stringify(effects)}
export const handler = async (event) => {
  const key = event.headers['idempotency-key']
  appendFileSync(join(dir, 'invocations.log'), key + '\\n')
  appendFileSync(join(dir, 'authorization.log'), (event.headers.authorization ?? '-') + '\\n')
  if (existsSync(join(dir, 'failing'))) throw new Error('the order system is down')
  const body = JSON.parse(event.body)
  try {
    closeSync(openSync(join(dir, 'applied', key), 'wx'))
    writeFileSync(join(dir, 'applied', key), JSON.stringify(body))
  } catch (err) {
    if (err.code !== 'EEXIST') throw err
  }
  return { statusCode: 200, body: JSON.stringify({ applied: key }) }
}
`
}

/**
 * The same effects for a Lambda target, which receives Event Relay's EventBridge envelope;
 * orders numbered BAD… are refused until a file named `healed` appears.
 */
function bridgeSinkSource(effects: string): string {
  return `import { appendFileSync, closeSync, existsSync, openSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
const dir = ${JSON.stringify(effects)}
export const handler = async (event) => {
  appendFileSync(join(dir, 'invocations.log'), event.id + '\\n')
  if (String(event.detail.payload.Order_Number__c).startsWith('BAD') && !existsSync(join(dir, 'healed')))
    throw new Error('order ' + event.detail.payload.Order_Number__c + ' is refused')
  try {
    closeSync(openSync(join(dir, 'applied', event.id), 'wx'))
    writeFileSync(join(dir, 'applied', event.id), JSON.stringify(event))
  } catch (err) {
    if (err.code !== 'EEXIST') throw err
  }
  return { ok: true }
}
`
}

/**
 * The effects for a non-proxy (`type: aws`) route: the Lambda receives what the route's mapping
 * template made of the relayed event, the key included only through `$context.idempotencyKey`.
 */
function mappedSinkSource(effects: string): string {
  return `import { appendFileSync, closeSync, openSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
const dir = ${JSON.stringify(effects)}
export const handler = async (input) => {
  appendFileSync(join(dir, 'invocations.log'), input.key + '\\n')
  if (!input.key) throw new Error('Bad request: no key')
  try {
    closeSync(openSync(join(dir, 'applied', input.key), 'wx'))
    writeFileSync(join(dir, 'applied', input.key), JSON.stringify(input))
  } catch (err) {
    if (err.code !== 'EEXIST') throw err
  }
  return { applied: input.key }
}
`
}

/** The mapping template of the `type: aws` route: the event flattened, the key from $context. */
export const MAPPED_TEMPLATE = `#set($p = $input.path('$.payload'))
{"key": "$context.idempotencyKey", "order": "$p.Order_Number__c", "status": "$p.Status__c", "amount": $p.Amount__c, "replayId": "$input.path('$.event.replayId')"}`

export interface Effects {
  readonly dir: string
  /** Keys whose effect was applied. */
  applied(): string[]
  appliedBody(key: string): Record<string, unknown>
  /** Every invocation's key, in order (redeliveries included). */
  invocations(): string[]
  /** The Authorization header of each route invocation, in order. */
  authorizations(): string[]
  setFailing(on: boolean): Promise<void>
}

export interface RelayFixture {
  readonly api: TempApi
  readonly effects: Effects
  readonly configFile: string
  org: DevOrg
  /** Publishes Order_Event__e over the org's REST API; answers the EventUuids. */
  publish(orderNumbers: readonly string[]): Promise<string[]>
  /** Stops the org and starts it again on the same ports (and data folder, when it has one). */
  restartOrg(options?: { keepData?: boolean }): Promise<void>
  stopOrg(): Promise<void>
  startOrg(options?: { keepData?: boolean }): Promise<void>
  /** Rewrites forcegate.yaml with other subscription settings. */
  writeConfig(subscription: Record<string, unknown>): Promise<void>
  close(): Promise<void>
}

export async function relayFixture(
  subscription: Record<string, unknown>,
  options: {
    orgData?: boolean
    org?: DevOrgOptions
    /** More settings of relay.orgs.devorg (credentials), written as YAML flow values. */
    relayOrg?: Record<string, unknown>
    /** Environment variables the configuration's secret references read. */
    env?: Record<string, string>
  } = {},
): Promise<RelayFixture> {
  const api = await tempApi({
    openapi: '3.0.3',
    info: { title: 'orders', version: '1' },
    components: {
      securitySchemes: {
        org: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: 'http://127.0.0.1/token', scopes: { api: 'api' } } },
          'x-forcegate-salesforce': {
            org: 'devorg',
            accept: ['opaque'],
            contract: 'none',
            cacheTtlSeconds: 0,
          },
        },
      },
    },
    paths: {
      '/orders/events': { post: lambdaOp('order-sink') },
      // For the relay's own org token (authorization: org): every call introspected at the org.
      '/orders/secured': { post: { ...lambdaOp('order-sink'), security: [{ org: ['api'] }] } },
      '/orders/mapped': {
        post: lambdaOp('mapped-sink', {
          type: 'aws',
          passthroughBehavior: 'never',
          requestTemplates: { 'application/json': MAPPED_TEMPLATE },
          responses: {
            'Bad request.*': { statusCode: '400' },
            default: { statusCode: '200' },
          },
        }),
      },
    },
  })
  const effectsDir = join(api.dir, 'effects')
  await mkdir(join(effectsDir, 'applied'), { recursive: true })
  await writeFile(join(api.functionsDir, 'order-sink.mjs'), sinkSource(effectsDir))
  await writeFile(join(api.functionsDir, 'bridge-sink.mjs'), bridgeSinkSource(effectsDir))
  await writeFile(join(api.functionsDir, 'mapped-sink.mjs'), mappedSinkSource(effectsDir))
  const dataDir = join(api.dir, 'org-data')
  const orgOptions = (keepData: boolean, ports?: { port: number; pubsub: number }): DevOrgOptions => ({
    ...options.org,
    ...(options.orgData === false || !keepData ? {} : { dataDir }),
    port: ports?.port ?? 0,
    pubsub: { port: ports?.pubsub ?? 0, keepaliveMs: 200 },
  })
  let org: DevOrg | undefined = await startDevOrg(orgOptions(true))
  const ports = { port: Number(new URL(org.url).port), pubsub: org.pubsub!.port }
  let current: DevOrg = org
  const configFile = join(api.dir, 'forcegate.yaml')

  async function writeConfig(sub: Record<string, unknown>): Promise<void> {
    const lines = [
      'log:',
      '  level: info',
      ...devorgSalesforceYaml(current, 'RELAY_TEST_ORG_SECRET'),
      'relay:',
      '  store: state/relay.db',
      '  orgs:',
      '    devorg:',
      `      pubsub: { endpoint: "${current.pubsub!.endpoint}", insecure: true }`,
      ...Object.entries(options.relayOrg ?? {}).map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`),
      'subscriptions:',
      `  - ${JSON.stringify({ name: 'orders', org: 'devorg', topic: TOPIC, ...sub })}`,
    ]
    await writeFile(configFile, `${lines.join('\n')}\n`)
  }
  Object.assign(process.env, options.env)
  await writeConfig(subscription)

  const fixture: RelayFixture = {
    api,
    configFile,
    get org() {
      return current
    },
    set org(o) {
      current = o
    },
    effects: {
      dir: effectsDir,
      applied: () => readdirSync(join(effectsDir, 'applied')),
      appliedBody: (key) =>
        JSON.parse(readFileSync(join(effectsDir, 'applied', key), 'utf8')) as Record<string, unknown>,
      invocations: () => {
        const path = join(effectsDir, 'invocations.log')
        return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : []
      },
      authorizations: () => {
        const path = join(effectsDir, 'authorization.log')
        return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : []
      },
      setFailing: async (on) => {
        const flag = join(effectsDir, 'failing')
        if (on) await writeFile(flag, '')
        else await import('node:fs/promises').then((fs) => fs.rm(flag, { force: true }))
      },
    },
    async publish(orderNumbers) {
      const { access_token: token } = await clientCredentialsToken(current, 'forcegate Gateway')
      const uuids: string[] = []
      for (const n of orderNumbers) {
        const res = await fetch(`${current.url}/services/data/v62.0/sobjects/Order_Event__e`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ Order_Number__c: n, Status__c: 'Placed', Amount__c: 10 }),
        })
        if (res.status !== 201) throw new Error(`publish failed: ${res.status} ${await res.text()}`)
        const body = (await res.json()) as { errors: { message: string }[] }
        uuids.push(body.errors[0]!.message)
      }
      return uuids
    },
    async stopOrg() {
      await org?.close()
      org = undefined
    },
    async startOrg({ keepData = true } = {}) {
      org = await startDevOrg(orgOptions(keepData, ports))
      current = org
    },
    async restartOrg(o) {
      await fixture.stopOrg()
      await fixture.startOrg(o)
    },
    writeConfig,
    async close() {
      await org?.close()
      await api.remove()
    },
  }
  return fixture
}

export interface ForcegateProcess {
  readonly child: ChildProcess
  readonly output: ProcessOutput
  /** SIGTERM and wait; answers the exit code. */
  stop(): Promise<number | null>
  /** SIGKILL: no chance to finish anything. */
  kill(): Promise<void>
  exited(): Promise<number | null>
  /** After exit, once both output streams ended. */
  closed(): Promise<void>
}

/** `forcegate serve` for the fixture's API and configuration, listening on a free port. */
export async function serveRelay(f: RelayFixture): Promise<ForcegateProcess & { url: string }> {
  const p = spawnForcegate(['serve', '--port', '0', '--api', f.api.apiFile, '--config', f.configFile])
  const url = (await p.output.waitForLine(/ on (http:\/\/[\d.]+:\d+)/))[1]!
  return { ...p, url }
}

/** `forcegate relay` alone. */
export function runRelay(f: RelayFixture): ForcegateProcess {
  return spawnForcegate(['relay', '--config', f.configFile, '--functions', f.api.functionsDir])
}

export function spawnForcegate(args: readonly string[]): ForcegateProcess {
  // The environment as it is now (the org's secret is set when the configuration is written);
  // forcegate stops should this test process go away without stopping it.
  const env = { ...process.env, FORCEGATE_STOP_WITH_PARENT: String(process.pid) }
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env })
  const output = watchOutput(child, `forcegate ${args[0]}`)
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()))
  return {
    child,
    output,
    exited: () => exit,
    closed: () => closed,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      return exit
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exit
    },
  }
}

/** Runs a `forcegate` command that exits by itself (status, dlq). */
export async function forcegate(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = spawnForcegate(args)
  const code = await p.exited()
  await p.closed()
  return { code, stdout: p.output.stdout(), stderr: p.output.stderr() }
}

/** Resolves once `predicate` holds, checking as the effects folder changes (polling its files). */
export async function until(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  deadlineMs = 30_000,
): Promise<void> {
  const start = Date.now()
  while (!(await predicate())) {
    if (Date.now() - start > deadlineMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** How many times each key was invoked. */
export function countsOf(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1)
  return counts
}

export interface InProcessRelay {
  readonly relay: Relay
  /** Every log entry the relay wrote, as objects. */
  readonly logs: Record<string, unknown>[]
  close(): Promise<void>
}

/**
 * The relay of the fixture's configuration in this process (Lambda targets only), for what a
 * test must reach inside: the org token endpoint's answers, or the ledger's clock.
 */
export async function relayInProcess(
  f: RelayFixture,
  deps: { fetch?: typeof fetch; clock?: () => number } = {},
): Promise<InProcessRelay> {
  const doc = await loadSourceDocument(f.configFile)
  const config = readGatewayFile(doc)
  const plan = planRelay(config, doc.file, (p) => doc.lineOf(p))
  const invoker = new LocalLambdaInvoker()
  for (const sub of plan.subscriptions)
    if (sub.target.kind === 'lambda') await invoker.load(sub.target.fn, [f.api.functionsDir], doc.file)
  const logs: Record<string, unknown>[] = []
  const entry = (level: string) => (fields: object, msg: string) => logs.push({ ...fields, level, msg })
  const relay = startRelay(plan, {
    log: { info: entry('info'), warn: entry('warn'), error: entry('error') },
    invoker,
    aws: { accountId: config.api.accountId, region: config.api.region },
    file: doc.file,
    ...deps,
  })
  return {
    relay,
    logs,
    async close() {
      await relay.close()
    },
  }
}
