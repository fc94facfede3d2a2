import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { OrgUnavailableError } from '../../../../src/auth/salesforce/salesforce-failure.ts'
import { readUserinfoAnswer } from '../../../../src/auth/salesforce/userinfo-answer.ts'
import { GatewayError } from '../../../../src/errors/gateway-error.ts'

const USERINFO = {
  sub: 'https://login.salesforce.com/id/00D5g000004FgAtEAK/0055g00000AbCdEAAZ',
  user_id: '0055g00000AbCdEAAZ',
  organization_id: '00D5g000004FgAtEAK',
  preferred_username: 'ada@partner.example.com',
  active: true,
  user_type: 'STANDARD',
}

const answer = (body: unknown, status = 200, contentType = 'application/json') => ({
  status,
  contentType,
  text: typeof body === 'string' ? body : JSON.stringify(body),
})

function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (err) {
    return err
  }
  assert.fail('expected a throw')
}

describe('readUserinfoAnswer', () => {
  test('a live session: the user and org, no client, no scopes, no expiry', () => {
    assert.deepEqual(readUserinfoAnswer(answer(USERINFO)), {
      userId: '0055g00000AbCdEAAZ',
      orgId: '00D5g000004FgAtEAK',
      username: 'ada@partner.example.com',
      clientId: undefined,
      scopes: [],
      tokenKind: 'session',
      expiresAt: undefined,
    })
  })

  test("403 Bad_OAuth_Token (plain text) and 401 are 401 rejections that quote only Salesforce's code", () => {
    for (const [text, status] of [
      ['Bad_OAuth_Token', 403],
      ['Missing_OAuth_Scope', 403],
      ['<html>secret</html>', 403],
      ['', 401],
    ] as const) {
      const err = thrown(() => readUserinfoAnswer(answer(text, status, 'text/plain')))
      assert.ok(err instanceof GatewayError)
      assert.equal(err.status, 401)
      assert.equal(err.reason, 'sf.userinfo_rejected')
      assert.ok(!String(err.detail).includes('secret'))
    }
  })

  test('an inactive user is 401', () => {
    const err = thrown(() => readUserinfoAnswer(answer({ ...USERINFO, active: false })))
    assert.ok(err instanceof GatewayError)
    assert.equal(err.reason, 'sf.inactive')
  })

  test('failures and unreadable answers are org failures', () => {
    for (const [body, status, reason] of [
      ['oops', 500, 'sf.userinfo_unavailable'],
      [USERINFO, 429, 'sf.userinfo_unavailable'],
      ['not json', 200, 'sf.userinfo_malformed'],
      [{ ...USERINFO, user_id: undefined }, 200, 'sf.userinfo_malformed'],
      [{ ...USERINFO, organization_id: '0055g00000AbCdEAAZ' }, 200, 'sf.userinfo_malformed'],
      [
        { ...USERINFO, sub: USERINFO.sub.replace('0055g00000AbCdE', '0055g00000ZzZzZ') },
        200,
        'sf.userinfo_malformed',
      ],
      [{ ...USERINFO, preferred_username: 12 }, 200, 'sf.userinfo_malformed'],
    ] as const) {
      const err = thrown(() => readUserinfoAnswer(answer(body, status)))
      assert.ok(err instanceof OrgUnavailableError, JSON.stringify(body))
      assert.equal(err.reason, reason)
    }
  })
})
