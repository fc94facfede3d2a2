import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type ServingCli, serveCli } from '../helpers/cli-process.ts'

describe('examples/token-authorizer over real HTTP', () => {
  let gw: ServingCli
  before(async () => {
    gw = await serveCli(['--api', 'examples/token-authorizer/openapi.yaml'])
  })
  after(async () => {
    await gw.stop()
  })
  const get = (path: string, token?: string) =>
    fetch(`${gw.url}${path}`, token === undefined ? {} : { headers: { authorization: token } })

  test('the route table shows the authorizer stage', () => {
    assert.match(
      gw.output(),
      /GET \/pets\s+receive → route → authenticate\+authorize\[lambda TOKEN authorizer 'bearer' → token-auth \(cache 300 s\)\] → enrich → integrate/,
    )
    assert.match(gw.output(), /GET \/public\s+receive → route → integrate\[mock/)
  })

  test('allow: context reaches the handler as strings with the principal', async () => {
    const res = await get('/pets', 'Bearer allow-ann')
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { path: '/pets', principalId: 'ann', user: 'ann', tier: 'standard' })
  })

  test('the cached narrow policy denies the next path with the same token (the AWS pitfall)', async () => {
    assert.equal((await get('/pets', 'Bearer allow-bob')).status, 200)
    const res = await get('/owners/7', 'Bearer allow-bob')
    assert.equal(res.status, 403)
    assert.equal(res.headers.get('x-amzn-errortype'), 'AccessDeniedException')
    assert.deepEqual(await res.json(), { Message: 'User is not authorized to access this resource' })
  })

  test('a wildcard policy serves every path from one cached result', async () => {
    assert.equal((await get('/pets', 'Bearer wide-cy')).status, 200)
    assert.equal((await get('/owners/1', 'Bearer wide-cy')).status, 200)
  })

  test('explicit deny is 403 with the explicit-deny message', async () => {
    const res = await get('/pets', 'Bearer deny')
    assert.equal(res.status, 403)
    assert.deepEqual(await res.json(), {
      Message: 'User is not authorized to access this resource with an explicit deny',
    })
  })

  test("missing token, a token failing identityValidationExpression, and 'Unauthorized' are 401", async () => {
    for (const token of [undefined, 'Basic abc', 'Bearer nobody']) {
      const res = await get('/pets', token)
      assert.equal(res.status, 401, String(token))
      assert.deepEqual(await res.json(), { message: 'Unauthorized' })
    }
  })

  test('security: [] on an operation opts out of the API-wide authorizer', async () => {
    assert.equal((await get('/public')).status, 200)
  })
})
