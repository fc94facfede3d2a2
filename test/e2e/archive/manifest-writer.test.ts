// How often the archive writes its manifest: saves never overlap, saves asked for while one is
// running share the next one, and a large manifest is written at most every two seconds (on
// the injected clock; the wait is recorded, not spent).

import assert from 'node:assert/strict'
import type { Readable } from 'node:stream'
import { it } from 'node:test'
import { emptyManifest } from '../../../src/flows/archive/archive-manifest.ts'
import { ManifestWriter } from '../../../src/flows/archive/manifest-writer.ts'
import type { ObjectStore } from '../../../src/flows/archive/object-store.ts'

class SlowStore implements ObjectStore {
  readonly puts: { key: string; opportunities: number }[] = []
  readonly #pending: (() => void)[] = []
  async readText(): Promise<string | undefined> {
    return undefined
  }
  async openRead(): Promise<Readable | undefined> {
    return undefined
  }
  put(key: string, body: Readable | Buffer): Promise<void> {
    const parsed = JSON.parse(String(body)) as { opportunities: object }
    this.puts.push({ key, opportunities: Object.keys(parsed.opportunities).length })
    return new Promise((done) => this.#pending.push(done))
  }
  /** Lets every write in flight finish. */
  finish(): void {
    for (const done of this.#pending.splice(0)) done()
  }
}

const entry = (name: string) => ({
  name,
  systemModstamp: '2026-12-04T10:00:00.000+0000',
  archivedAt: '2026-12-04T10:00:00.000Z',
  objects: [
    {
      key: `opportunities/${name}/opportunity.json`,
      sha256: 'a'.repeat(64),
      size: 1,
      contentType: 'application/json',
    },
  ],
})

const tick = () => new Promise((done) => setImmediate(done))

it('saves asked for during a write share the next write, which carries all of them', async () => {
  const store = new SlowStore()
  const manifest = emptyManifest('devorg', '2026-12-04T10:00:00.000Z')
  const writer = new ManifestWriter(store, manifest, () => new Date(0))
  manifest.opportunities.a = entry('a')
  const first = writer.save()
  await tick()
  for (const name of ['b', 'c', 'd']) {
    manifest.opportunities[name] = entry(name)
    writer.save()
  }
  await tick()
  assert.deepEqual(store.puts, [{ key: 'manifest.json', opportunities: 1 }])
  store.finish()
  await first
  await tick()
  assert.deepEqual(store.puts.at(-1), { key: 'manifest.json', opportunities: 4 })
  assert.equal(store.puts.length, 2)
  store.finish()
})

it('a large manifest waits for two seconds after the previous write started', async () => {
  const store = new SlowStore()
  const manifest = emptyManifest('devorg', '2026-12-04T10:00:00.000Z')
  for (let i = 0; i < 2000; i++)
    manifest.opportunities[`006${String(i).padStart(12, '0')}`] = entry(`deal ${i}`)
  let now = 10_000
  const waits: number[] = []
  const writer = new ManifestWriter(
    store,
    manifest,
    () => new Date(now),
    async (ms) => {
      waits.push(ms)
      now += ms
    },
  )
  const first = writer.save()
  await tick()
  store.finish()
  await first
  now += 500
  const second = writer.save()
  await tick()
  store.finish()
  await second
  assert.equal(store.puts.length, 2)
  assert.deepEqual(waits, [1500])
})
