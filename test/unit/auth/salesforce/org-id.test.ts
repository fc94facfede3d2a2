import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseIdentityUrl } from '../../../../src/auth/salesforce/identity-url.ts'
import { checkedOrgId, isOrgId, isUserId, sameRecord } from '../../../../src/auth/salesforce/org-id.ts'

describe('record ids', () => {
  test('15 and 18 character ids with the right key prefix', () => {
    assert.ok(isOrgId('00D5g000004FgAt'))
    assert.ok(isOrgId('00D5g000004FgAtEAK'))
    assert.ok(!isOrgId('00D5g000004FgA'))
    assert.ok(!isOrgId('00D5g000004FgAtEA'))
    assert.ok(!isOrgId('0055g000004FgAt'))
    assert.ok(!isOrgId(42))
    assert.ok(isUserId('0055g00000AbCdE'))
    assert.ok(!isUserId('00D5g000004FgAt'))
  })

  test('the same record in 15 and 18 characters; case matters in the first 15', () => {
    assert.ok(sameRecord('00D5g000004FgAt', '00D5g000004FgAtEAK'))
    assert.ok(!sameRecord('00D5g000004FgAt', '00D5g000004FGAt'))
  })

  test('configured org ids are checked at start-up', () => {
    assert.equal(checkedOrgId(undefined), undefined)
    assert.equal(checkedOrgId('00D5g000004FgAtEAK'), '00D5g000004FgAtEAK')
    assert.throws(() => checkedOrgId('00D5g'), TypeError)
  })
})

describe('parseIdentityUrl', () => {
  test('reads the org and user from the path, whatever the host', () => {
    for (const host of [
      'https://login.salesforce.com',
      'https://test.salesforce.com',
      'http://127.0.0.1:8081',
    ]) {
      assert.deepEqual(parseIdentityUrl(`${host}/id/00D5g000004FgAtEAK/0055g00000AbCdEAAZ`), {
        orgId: '00D5g000004FgAtEAK',
        userId: '0055g00000AbCdEAAZ',
      })
    }
  })

  test('anything else is undefined', () => {
    for (const value of [
      undefined,
      'uid:0055g00000AbCdEAAZ',
      'https://login.salesforce.com/id/0055g00000AbCdEAAZ/00D5g000004FgAtEAK',
      'https://login.salesforce.com/id/00D5g000004FgAtEAK',
      'https://login.salesforce.com/id/00D5g000004FgAtEAK/0055g00000AbCdEAAZ/extra',
      'https://login.salesforce.com/x/00D5g000004FgAtEAK/0055g00000AbCdEAAZ',
      'not a url',
    ]) {
      assert.equal(parseIdentityUrl(value), undefined, String(value))
    }
  })
})
