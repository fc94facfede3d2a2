import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'

const GATEWAY = new URL('../../src/gateway.ts', import.meta.url).href
const CLI = new URL('../../src/cli/run-cli.ts', import.meta.url).href
const LOGGER = new URL('../../src/observability/logger.ts', import.meta.url).href

// Every major collection marks the whole loaded graph, so what an API does not use stays unloaded.
test('the gateway loads the usage store client (Redis) of partners only when partners are configured', () => {
  const script = `
    import { registerHooks } from 'node:module'
    const loaded = []
    registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context) } })
    await import(${JSON.stringify(GATEWAY)})
    console.log(JSON.stringify(loaded.filter((u) => /node_modules\\/(@redis\\/|redis\\/)/.test(u))))
  `
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
  assert.deepEqual(JSON.parse(out), [])
})

// A passthrough API uses none of these: each is loaded where its feature is configured.
const FEATURE_PACKAGES = [
  '@aws-sdk/', // a function routed to AWS Lambda (lambda.remote)
  '@smithy/',
  'esbuild/', // a TypeScript handler to compile
  'pg/', // the portal's or the partners' PostgreSQL store
  'openid-client/', // the portal's sign-in
  'oidc-provider/',
  'prom-client/', // metrics
  '@grpc/', // the relay
  'protobufjs/',
]

test('a started passthrough-only gateway loads no AWS SDK, esbuild, PostgreSQL, OpenID, metrics or gRPC module', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fg-module-graph-'))
  try {
    const apiFile = join(dir, 'openapi.json')
    writeFileSync(
      apiFile,
      JSON.stringify({
        openapi: '3.0.1',
        info: { title: 'passthrough', version: '1' },
        paths: {
          '/api/{proxy+}': {
            'x-amazon-apigateway-any-method': {
              'x-amazon-apigateway-integration': {
                type: 'http_proxy',
                httpMethod: 'ANY',
                uri: 'http://127.0.0.1:9/{proxy}',
                payloadFormatVersion: '1.0',
              },
            },
          },
        },
      }),
    )
    const script = `
      import { registerHooks } from 'node:module'
      const loaded = []
      registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context) } })
      const { startGateway } = await import(${JSON.stringify(GATEWAY)})
      const { createLogger } = await import(${JSON.stringify(LOGGER)})
      const gateway = await startGateway({ apiFile: ${JSON.stringify(apiFile)}, port: 0, host: '127.0.0.1', logger: createLogger('silent') })
      const answer = await fetch(gateway.url + '/_forcegate/health')
      await gateway.close(0)
      const packages = ${JSON.stringify(FEATURE_PACKAGES)}
      const hits = loaded.filter((u) => packages.some((p) => u.includes('/node_modules/' + p)))
      console.log(JSON.stringify({ status: answer.status, hits }))
    `
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
    const { status, hits } = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
      status: number
      hits: string[]
    }
    assert.equal(status, 200)
    assert.deepEqual(hits, [])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the command line (what every forcegate command, serve included, imports) loads none of those packages', () => {
  const script = `
    import { registerHooks } from 'node:module'
    const loaded = []
    registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context) } })
    await import(${JSON.stringify(CLI)})
    const packages = ${JSON.stringify(FEATURE_PACKAGES)}
    console.log(JSON.stringify(loaded.filter((u) => packages.some((p) => u.includes('/node_modules/' + p)))))
  `
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
  assert.deepEqual(JSON.parse(out), [])
})
