import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { test } from 'node:test'

const SERVER = new URL('../../../src/http/server.ts', import.meta.url).href

// V8's cached-data tag hashes the flags in force: equal tags mean the same flags.
test('a gateway server turns off allocation-site pretenuring for its process', () => {
  const script = `
    import { setFlagsFromString, cachedDataVersionTag } from 'node:v8'
    import { createHttpServer } from ${JSON.stringify(SERVER)}
    const before = cachedDataVersionTag()
    createHttpServer({ headersTimeoutMs: 1000, requestTimeoutMs: 1000, keepAliveTimeoutMs: 1000, maxHeaderBytes: 8192 }, async () => {}, () => {})
    const after = cachedDataVersionTag()
    setFlagsFromString('--no-allocation-site-pretenuring')
    console.log(JSON.stringify({ before, after, explicit: cachedDataVersionTag() }))
  `
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
  const tags = JSON.parse(out) as { before: number; after: number; explicit: number }
  assert.notEqual(tags.after, tags.before)
  assert.equal(tags.explicit, tags.after)
})
