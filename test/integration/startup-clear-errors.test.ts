import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:net'
import { after, before, test } from 'node:test'
import { BIN, stopWithTestEnv } from '../helpers/cli-process.ts'
import { type TempApi, tempApi } from '../helpers/temp-api.ts'

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

function run(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...stopWithTestEnv(), ...env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

let holder: Server
let busy: number
let api: TempApi

before(async () => {
  holder = createServer()
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
  busy = (holder.address() as { port: number }).port
  api = await tempApi({
    openapi: '3.0.3',
    info: { title: 't', version: '1' },
    paths: {
      '/x': {
        get: {
          'x-amazon-apigateway-integration': {
            type: 'mock',
            requestTemplates: { 'application/json': '{"statusCode":200}' },
          },
        },
      },
    },
  })
})
after(async () => {
  await new Promise((resolve) => holder.close(resolve))
  await api.remove()
})

const oneLine = (text: string) => text.trim().split('\n').length === 1

test('serve on a port in use: one line naming the address and how to choose another, status 1', async () => {
  const result = await run(['serve', '--port', String(busy), '--api', api.apiFile])
  assert.equal(result.code, 1)
  assert.ok(oneLine(result.stderr), result.stderr)
  assert.match(result.stderr, new RegExp(`^forcegate serve: 127\\.0\\.0\\.1:${busy} is already in use`))
  assert.match(result.stderr, /--port or FORCEGATE_PORT/)
  assert.doesNotMatch(result.stderr, /\n\s+at /)
})

test('serve takes its port from FORCEGATE_PORT when --port is not given', async () => {
  const result = await run(['serve', '--api', api.apiFile], { FORCEGATE_PORT: String(busy) })
  assert.equal(result.code, 1)
  assert.match(result.stderr, new RegExp(`127\\.0\\.0\\.1:${busy} is already in use`))
  const bad = await run(['serve', '--api', api.apiFile], { FORCEGATE_PORT: 'eighty' })
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /FORCEGATE_PORT expects an integer from 0 to 65535, found 'eighty'/)
})

test('devorg on a port in use: one line, status 1; FORCEGATE_DEVORG_PORT is its port', async () => {
  for (const [args, env] of [
    [['devorg', '--port', String(busy), '--pubsub-port', '0'], {}],
    [['devorg', '--pubsub-port', '0'], { FORCEGATE_DEVORG_PORT: String(busy) }],
  ] as const) {
    const result = await run(args, env)
    assert.equal(result.code, 1)
    assert.ok(oneLine(result.stderr), result.stderr)
    assert.match(result.stderr, new RegExp(`127\\.0\\.0\\.1:${busy}.*in use`))
    assert.doesNotMatch(result.stderr, /\n\s+at /)
  }
})

test("an http:// issuer on a host that is not loopback is a configuration error naming the org's issuer", async () => {
  const config = await api.file(
    'forcegate.yaml',
    `salesforce:
  orgs:
    acme:
      issuer: http://acme.example.com
      orgId: 00D5g000004FgAt
      introspection: { clientId: gateway, clientSecret: { env: TEST_SECRET } }
partners:
  org: { url: http://127.0.0.1:1, initialAccessToken: { env: TEST_SECRET } }
  store: { path: partners.db }
  encryption: { key: { env: TEST_KEY } }
  usagePlans: [{ name: standard, quota: { limit: 10, period: DAY } }]
  admin: { token: { env: TEST_SECRET } }
portal:
  publicOrigin: http://127.0.0.1:8080
  org: acme
  client: { clientId: portal, clientSecret: { env: TEST_SECRET } }
  admins: [admin@example.com]
  apis: [{ name: t, title: T, scopes: [api] }]
`,
  )
  const result = await run(['serve', '--port', '0', '--api', api.apiFile, '--config', config], {
    TEST_SECRET: 'a-secret-of-enough-length',
    TEST_KEY: randomBytes(32).toString('base64'),
  })
  assert.equal(result.code, 1)
  assert.match(result.stderr, /configuration error/)
  assert.match(
    result.stderr,
    /\/salesforce\/orgs\/acme\/issuer: the portal signs in at this org: its issuer must use https .*found http:\/\/acme\.example\.com/,
  )
  assert.doesNotMatch(result.stderr, /TypeError|\n\s+at /)
})
