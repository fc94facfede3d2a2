import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { after, before, describe, test } from 'node:test'
import { type DevOrg, startDevOrg } from '../../devorg/index.ts'
import type { ServingCli } from '../helpers/cli-process.ts'
import { serveExample, soql, userToken } from '../integration/salesforce-target-support.ts'

describe('customer registration through the customer-sync example (real processes)', () => {
  let org: DevOrg
  let gateway: ServingCli
  let dir: string
  before(async () => {
    org = await startDevOrg({ port: 0 })
    ;({ gateway, dir } = await serveExample(org))
  })
  after(async () => {
    await gateway?.stop()
    await org?.close()
    await rm(dir, { recursive: true, force: true })
  })

  test('the same registration twice is one Contact', async () => {
    const token = await userToken(org, 'sales@forcegate.example.com', 'Sales-Rep-1')
    const register = () =>
      fetch(`${gateway.url}/customers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          customerId: 'WEB-42',
          firstName: 'Mary',
          lastName: 'Jackson',
          email: 'mary@example.com',
        }),
      })
    const first = await register()
    assert.equal(first.status, 201, await first.clone().text())
    const second = await register()
    assert.equal(second.status, 200)
    const { id } = (await first.json()) as { id: string }
    assert.equal(((await second.json()) as { id: string }).id, id)
    const rows = await soql(org, "SELECT Id, Email FROM Contact WHERE Customer_Id__c = 'WEB-42'")
    assert.equal(rows.totalSize, 1)
    assert.equal(rows.records[0]!.Email, 'mary@example.com')
  })

  test('without a token the route is 401 and nothing is written', async () => {
    const res = await fetch(`${gateway.url}/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: 'WEB-43', firstName: 'A', lastName: 'B', email: 'ab@example.com' }),
    })
    assert.equal(res.status, 401)
    assert.equal(
      (await soql(org, "SELECT COUNT() FROM Contact WHERE Customer_Id__c = 'WEB-43'")).totalSize,
      0,
    )
  })
})
