import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readZip, writeZip } from '../../../src/export/zip-archive.ts'

const entries = [
  { name: 'index.mjs', data: Buffer.from('export const handler = async () => 1\n') },
  { name: 'data/é.json', data: Buffer.alloc(100_000, 97) },
  { name: 'empty.txt', data: Buffer.alloc(0) },
]

test('what writeZip writes, readZip reads back byte for byte, names in UTF-8', () => {
  const back = readZip(writeZip(entries))
  assert.deepEqual(
    back.map((e) => [e.name, Buffer.from(e.data).toString('base64')]),
    entries.map((e) => [e.name, e.data.toString('base64')]),
  )
})

test('entries are deflated, and the same files make the same bytes (a stable template hash)', () => {
  const zip = writeZip(entries)
  assert.ok(zip.length < 2_000, `100 kB of one letter deflates: ${zip.length} bytes`)
  assert.deepEqual(writeZip(entries), zip)
  assert.equal(zip.readUInt32LE(0), 0x04034b50, 'a local file header first')
})

test('a damaged entry is refused by its CRC', () => {
  const zip = writeZip([{ name: 'a.txt', data: Buffer.from('stored as is, deflate keeps a literal') }])
  const damaged = Buffer.from(zip)
  damaged[30 + 'a.txt'.length + 3]! ^= 0x01
  assert.throws(() => readZip(damaged), /CRC mismatch|invalid/)
})

test('absolute or backslashed names are refused (they unpack outside the function folder)', () => {
  for (const name of ['/etc/x', 'a\\b', ''])
    assert.throws(() => writeZip([{ name, data: Buffer.alloc(1) }]), /relative/)
})
