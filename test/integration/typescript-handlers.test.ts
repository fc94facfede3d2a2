import assert from 'node:assert/strict'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { runCli, serveCli } from '../helpers/cli-process.ts'
import { lambdaOp, tempApi } from '../helpers/temp-api.ts'

const document = (paths: Record<string, unknown>) => ({
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  paths,
})

// As Lambda TypeScript projects write them: an enum, a parameter property, an extensionless
// relative import, a tsconfig path alias, a package import, a file read beside the handler.
const ORDERS = `import { readFileSync } from 'node:fs'
import { Status, label } from './lib/status'
import { shout } from '@shared/text'

class Reply {
  constructor(private readonly status: Status) {}
  body(): string {
    return shout(label(this.status))
  }
}

const greeting = readFileSync(new URL('./greeting.txt', import.meta.url), 'utf8').trim()

export const handler = async (event: { pathParameters: { id: string } }) => {
  if (event.pathParameters.id === '0') throw new TypeError('order 0 is reserved')
  return { statusCode: 200, body: greeting + ' ' + new Reply(Status.Shipped).body() }
}
`

test('a TypeScript handler with an enum, extensionless imports and path aliases loads and answers; its stack points at its lines', async () => {
  const api = await tempApi(document({ '/orders/{id}': { get: lambdaOp('orders') } }), {
    'orders.ts': ORDERS,
    'greeting.txt': 'hello\n',
  })
  await mkdir(join(api.functionsDir, 'lib'))
  await mkdir(join(api.dir, 'shared'))
  await api.file(
    'functions/lib/status.ts',
    `export enum Status { Pending = 'pending', Shipped = 'shipped' }\nexport const label = (s: Status): string => 'order ' + s\n`,
  )
  await api.file('shared/text.ts', `export const shout = (text: string): string => text.toUpperCase()\n`)
  await api.file(
    'tsconfig.json',
    JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@shared/*': ['shared/*'] } } }),
  )
  const served = await serveCli(['--api', api.apiFile])
  try {
    const res = await fetch(`${served.url}/orders/7`)
    assert.equal(await res.text(), 'hello ORDER SHIPPED')
    assert.equal(res.status, 200)

    const failed = await fetch(`${served.url}/orders/0`)
    assert.equal(failed.status, 502)
    await failed.arrayBuffer()
    const logged = await served.waitForLine(/^\{.*"msg":"Invoke Error".*$/)
    const line = JSON.parse(logged[0]) as { stack: string[] }
    const file = join(api.functionsDir, 'orders.ts')
    assert.ok(
      line.stack.some((frame) => frame.includes(`${file}:15:`)),
      `the stack names the .ts line that threw: ${line.stack.join('\n')}`,
    )
  } finally {
    await served.stop()
  }

  // Compiled once: a second start reuses the cached module; an edited import is compiled again.
  await writeFile(
    join(api.functionsDir, 'lib', 'status.ts'),
    `export enum Status { Pending = 'pending', Shipped = 'on its way' }\nexport const label = (s: Status): string => 'order ' + s\n`,
  )
  const again = await serveCli(['--api', api.apiFile])
  try {
    assert.equal(await (await fetch(`${again.url}/orders/7`)).text(), 'hello ORDER ON ITS WAY')
  } finally {
    await again.stop()
    await api.remove()
  }
})

test('a handler with a syntax error stops start-up naming its file, line and cause, without a stack', async () => {
  const api = await tempApi(document({ '/x': { get: lambdaOp('broken') } }), {
    'broken.ts': `export const handler = async () => {\n  return { statusCode: 200,, body: 'x' }\n}\n`,
  })
  try {
    const run = await runCli(['serve', '--port', '0', '--api', api.apiFile])
    assert.equal(run.code, 1)
    assert.match(run.stderr, /configuration error/)
    assert.ok(
      run.stderr.includes(`${join(api.functionsDir, 'broken.ts')}:2:28: Expected identifier but found ","`),
      run.stderr,
    )
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace')
  } finally {
    await api.remove()
  }
})
