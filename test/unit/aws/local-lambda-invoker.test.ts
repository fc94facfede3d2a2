import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { LocalLambdaInvoker, resolveFunctionModule } from '../../../src/aws/local-lambda-invoker.ts'
import { ConfigError } from '../../../src/errors/config-error.ts'

const fn = (name: string) => ({ name, arn: `arn:aws:lambda:us-east-1:123456789012:function:${name}` })

describe('local handler modules', () => {
  let dir: string
  let esm: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'forcegate-handlers-'))
    esm = join(dir, 'esm')
    await mkdir(esm)
    await writeFile(join(esm, 'package.json'), '{"type":"module"}\n')
    const files: Record<string, string> = {
      'plain.cjs': `exports.handler = async (event) => ({ statusCode: 200, body: 'cjs ' + event.n })\n`,
      'whole.cjs': `module.exports = { handler: async () => 'whole' }\n`,
      'order.js': `export const handler = async () => 'js'\n`,
      'order.cjs': `exports.handler = async () => 'cjs'\n`,
      'requires.js': `const path = require('node:path')\nexports.handler = async () => path.sep\n`,
      'exports.js': `exports.handler = async () => 1\n`,
      'broken.mjs': `export const handler = async () => { return {\n`,
      'missing-import.mjs': `import 'forcegate-no-such-package'\nexport const handler = async () => 1\n`,
      'throws-on-load.mjs': `throw new Error('no DATABASE_URL')\n`,
      'enum.ts': `enum Colour { Red }\nexport const handler = async () => Colour.Red\n`,
      'ts-throws-on-load.ts': `const url: string | undefined = process.env.NO_SUCH_DATABASE_URL\nif (url === undefined) throw new Error('no DATABASE_URL')\nexport const handler = async () => 1\n`,
      'syntax.ts': `export const handler = async () => {\n  return { statusCode: 200,, body: 'x' }\n}\n`,
    }
    for (const [name, text] of Object.entries(files)) await writeFile(join(esm, name), text)
  })
  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  test('a .cjs module is found and its handler runs', async () => {
    const invoker = new LocalLambdaInvoker()
    await invoker.load(fn('plain'), [esm], 'api.yaml#/paths')
    assert.deepEqual(await invoker.invoke(fn('plain'), { n: 7 }, 1000), { statusCode: 200, body: 'cjs 7' })
    await invoker.load(fn('whole'), [esm], 'api.yaml#/paths')
    assert.equal(await invoker.invoke(fn('whole'), {}, 1000), 'whole')
  })

  test('a TypeScript handler is compiled, not type-stripped: an enum works', async () => {
    const invoker = new LocalLambdaInvoker()
    await invoker.load(fn('enum'), [esm], 'api.yaml#/paths')
    assert.equal(await invoker.invoke(fn('enum'), {}, 1000), 0)
  })

  test('a compiled handler whose cache folder cannot be written is a start-up error naming it', async () => {
    const project = join(dir, 'read-only-cache')
    await mkdir(join(project, 'functions'), { recursive: true })
    await writeFile(join(project, 'package.json'), '{}\n')
    // A file where the cache folder would go: no folder can be made there, whoever runs the test.
    await writeFile(join(project, '.forcegate'), '')
    await writeFile(join(project, 'functions', 'cached.ts'), 'export const handler = async () => 1\n')
    await assert.rejects(
      new LocalLambdaInvoker().load(fn('cached'), [join(project, 'functions')], 'api.yaml'),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError, String(err))
        assert.match(err.message, /cached\.ts failed to compile: .*\.forcegate/)
        assert.doesNotMatch(err.message, /\n\s+at /)
        return true
      },
    )
  })

  test('.js is preferred to .cjs; .cjs comes last', async () => {
    assert.equal(await resolveFunctionModule('order', [esm], 'o'), join(esm, 'order.js'))
    await assert.rejects(
      resolveFunctionModule('absent', [esm], 'o'),
      /absent\.ts, absent\.mjs, absent\.js, absent\.cjs/,
    )
  })

  for (const [name, uses] of [
    ['requires', 'require'],
    ['exports', 'exports'],
  ] as const) {
    test(`CommonJS in a .js file of a "type": "module" folder says what to do (${uses})`, async () => {
      const invoker = new LocalLambdaInvoker()
      await assert.rejects(invoker.load(fn(name), [esm], 'api.yaml#/paths/~1x/get'), (err: unknown) => {
        assert.ok(err instanceof ConfigError)
        assert.equal(err.file, 'api.yaml#/paths/~1x/get')
        assert.match(err.message, new RegExp(`${name}\\.js is CommonJS \\(it uses ${uses}\\)`))
        assert.match(err.message, new RegExp(`rename it to ${name}\\.cjs`))
        assert.match(err.message, /"type": "commonjs"/)
        assert.ok(err.message.includes(join(esm, 'package.json')))
        return true
      })
    })
  }

  for (const [name, cause] of [
    ['broken', /broken\.mjs failed to load: SyntaxError: Unexpected end of input/],
    [
      'missing-import',
      /missing-import\.mjs failed to load: Error ERR_MODULE_NOT_FOUND: Cannot find package 'forcegate-no-such-package'/,
    ],
    [
      'throws-on-load',
      /throws-on-load\.mjs failed to load: Error: no DATABASE_URL \(at \/.*throws-on-load\.mjs:1:7\)/,
    ],
    [
      'ts-throws-on-load',
      /ts-throws-on-load\.ts failed to load: Error: no DATABASE_URL \(at \/.*ts-throws-on-load\.ts:2:30\)/,
    ],
    ['syntax', /syntax\.ts failed to compile: .*syntax\.ts:2:28: Expected identifier but found ","/],
  ] as const) {
    test(`a module that fails to load is a configuration error naming it and the cause (${name})`, async () => {
      const invoker = new LocalLambdaInvoker()
      await assert.rejects(invoker.load(fn(name), [esm], 'api.yaml'), (err: unknown) => {
        assert.ok(err instanceof ConfigError, String(err))
        assert.match(err.message, new RegExp(`Lambda function '${name}'`))
        assert.match(err.message, cause)
        assert.doesNotMatch(err.message, /\n\s+at /, 'no stack trace')
        return true
      })
    })
  }
})
