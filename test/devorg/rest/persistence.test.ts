import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { test } from 'node:test'
import { SEED_ACCOUNT, startTestServer, v } from './rest-test-server.ts'

test('a restart on the same database keeps changes and does not load the seed again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'devorg-rest-'))
  try {
    const file = join(dir, 'org.db')
    const first = await startTestServer({ db: new DatabaseSync(file) })
    await first.call('PATCH', v(`/sobjects/Account/${SEED_ACCOUNT}`), { body: { Name: 'Renamed' } })
    const created = await first.call('POST', v('/sobjects/Account'), { body: { Name: 'Kept' } })
    const upload = await first.call('POST', v('/sobjects/ContentVersion'), {
      body: { PathOnClient: 'a.txt', VersionData: Buffer.from('kept bytes').toString('base64') },
    })
    await first.close()
    first.db.close()

    const second = await startTestServer({ db: new DatabaseSync(file) })
    try {
      const names = await second.call(
        'GET',
        v(`/query?q=${encodeURIComponent('SELECT Name FROM Account ORDER BY Name')}`),
      )
      assert.deepEqual(
        (names.json as { records: { Name: string }[] }).records.map((r) => r.Name),
        ['Kept', 'Renamed'],
      )
      const kept = await second.call('GET', v(`/sobjects/Account/${(created.json as { id: string }).id}`))
      assert.equal(kept.status, 200)
      const bytes = await second.call(
        'GET',
        v(`/sobjects/ContentVersion/${(upload.json as { id: string }).id}/VersionData`),
      )
      assert.equal(bytes.text, 'kept bytes')
      const another = await second.call('POST', v('/sobjects/Account'), { body: { Name: 'New' } })
      assert.notEqual((another.json as { id: string }).id, (created.json as { id: string }).id)
    } finally {
      await second.close()
      second.db.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a seed with an unknown object is refused at start', async () => {
  await assert.rejects(
    startTestServer({
      seed: {
        org: { id: '00D000000000001', name: 'x', myDomain: 'x' },
        users: [],
        connectedApps: [],
        objects: [],
        records: { Widget__c: [{}] },
      },
    }),
    /unknown sObject Widget__c/,
  )
})
