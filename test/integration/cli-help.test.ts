import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runCli } from '../helpers/cli-process.ts'
import { lambdaOp, lambdaUri, tempApi } from '../helpers/temp-api.ts'

// Every verb answers --help on stdout with status 0 and writes nothing else.
const HELP: readonly (readonly string[])[] = [
  ['serve', '--help'],
  ['serve', '-h'],
  ['explain', '--help'],
  ['login', '--help'],
  ['partners', '--help'],
  ['partners', 'register', '--help'],
  ['partners', 'rotate', '--help'],
  ['devorg', '--help'],
  ['relay', '--help'],
  ['relay', 'dlq', '--help'],
  ['archive', '--help'],
  ['sync', '--help'],
]

for (const args of HELP) {
  test(`forcegate ${args.join(' ')}: the verb's usage on stdout, status 0`, async () => {
    const run = await runCli(args)
    assert.equal(run.code, 0, run.stderr)
    assert.equal(run.stderr, '')
    assert.match(run.stdout, new RegExp(`forcegate ${args[0]}`))
  })
}

test('--help wins over missing required flags: serve --help without --api', async () => {
  const run = await runCli(['serve', '--help'])
  assert.match(run.stdout, /--api <file>/)
  assert.match(run.stdout, /FORCEGATE_PORT/)
})

for (const args of [
  ['serve', '--api', 'x.yaml', '--bogus'],
  ['explain', '--api', 'x.yaml', '--nope'],
  ['login', '--org', 'http://127.0.0.1:1', '--what'],
  ['serve'],
  ['explain', '--api', 'x.yaml'],
]) {
  test(`a usage error exits 2 on stderr, nothing on stdout: forcegate ${args.join(' ')}`, async () => {
    const run = await runCli(args)
    assert.equal(run.code, 2)
    assert.equal(run.stdout, '')
    assert.match(run.stderr, /^forcegate: /)
  })
}

test('forcegate without a command: the usage on stderr, status 2; --help: on stdout, status 0', async () => {
  const bare = await runCli([])
  assert.equal(bare.code, 2)
  assert.equal(bare.stdout, '')
  assert.match(bare.stderr, /Usage: forcegate <command>/)
  const help = await runCli(['--help'])
  assert.equal(help.code, 0)
  assert.equal(help.stderr, '')
  assert.match(help.stdout, /Usage: forcegate <command>/)
})

test('explain --json: stdout is the JSON alone, whatever the handlers write to the console', async () => {
  const api = await tempApi(
    {
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      components: {
        securitySchemes: {
          bearer: {
            type: 'apiKey',
            name: 'Authorization',
            in: 'header',
            'x-amazon-apigateway-authorizer': {
              type: 'token',
              authorizerUri: lambdaUri('auth'),
              authorizerResultTtlInSeconds: 0,
            },
          },
        },
      },
      paths: { '/x': { get: { ...lambdaOp('ok'), security: [{ bearer: [] }] } } },
    },
    {
      'auth.mjs': `console.log('loading the authorizer')
export const handler = async () => {
  console.log('authorizing')
  return { principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] } }
}
`,
      'ok.mjs': `console.log('loading ok')\nexport const handler = async () => ({ statusCode: 200, body: 'ok' })\n`,
    },
  )
  try {
    const run = await runCli([
      'explain',
      '--api',
      api.apiFile,
      '--request',
      'GET /x',
      '-H',
      'Authorization: Bearer t',
      '--json',
    ])
    assert.equal(run.code, 0, run.stderr)
    const [explained] = JSON.parse(run.stdout) as { status: number }[]
    assert.equal(explained?.status, 200)
  } finally {
    await api.remove()
  }
})

test('an org on plain http off loopback is refused before any secret is sent (login, partners)', async () => {
  for (const args of [
    ['login', '--org', 'http://acme.example.com', '--client-id', 'app'],
    ['partners', 'list', '--org', 'http://acme.example.com', '--store', ':memory:'],
  ]) {
    const run = await runCli(args)
    assert.equal(run.code, 2, run.stderr)
    assert.equal(run.stdout, '')
    assert.match(
      run.stderr,
      /--org must use https \(plain http only on a loopback host such as 127\.0\.0\.1\), found 'http:\/\/acme\.example\.com'/,
    )
  }
})
