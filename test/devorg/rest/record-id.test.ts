import assert from 'node:assert/strict'
import { test } from 'node:test'
import { idSuffix, makeId, normalizeId, toId18 } from '../../../devorg/rest/record-id.ts'

test('the 18-character suffix encodes the upper-case positions of each 5-character chunk', () => {
  assert.equal(idSuffix('001A0000006Vm9r'), 'IAC')
  assert.equal(toId18('000000000000000'), '000000000000000AAA')
  assert.equal(idSuffix('AAAAAAAAAAAAAAA'), '555')
})

test('ids normalise to 18 characters and lost casing is restored from the suffix', () => {
  assert.equal(normalizeId('001A0000006Vm9r'), '001A0000006Vm9rIAC')
  assert.equal(normalizeId('001a0000006vm9riac'), '001A0000006Vm9rIAC')
  assert.equal(normalizeId('001A0000006Vm9rIAC'), '001A0000006Vm9rIAC')
  assert.equal(normalizeId('001A0000006Vm9'), null)
  assert.equal(normalizeId('001A0000006Vm9r-AC'), null)
  assert.equal(normalizeId('001A0000006Vm9r9AC'), null)
})

test('generated ids carry the key prefix, a valid suffix, and never repeat', () => {
  const ids = new Set<string>()
  for (let serial = 1; serial <= 2000; serial++) {
    const id = makeId('00k', serial)
    assert.match(id, /^00k5g[0-9A-Za-z]{13}$/)
    assert.equal(normalizeId(id.slice(0, 15)), id)
    ids.add(id)
  }
  assert.equal(ids.size, 2000)
})
