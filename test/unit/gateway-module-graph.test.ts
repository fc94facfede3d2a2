import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { test } from 'node:test'

const GATEWAY = new URL('../../src/gateway.ts', import.meta.url).href

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
