import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { identityFromClaims } from '../../../src/portal/session-identity.ts'

const ORG = '00D5g000004FgAtEAK'
const USER = '0055g00000AbCdEAAV'
const sub = `https://acme.my.salesforce.com/id/${ORG}/${USER}`

describe('identityFromClaims', () => {
  it('reads user, org and username from userinfo, agreeing with the identity URL', () => {
    assert.deepEqual(
      identityFromClaims(
        { sub },
        { sub, user_id: USER, organization_id: ORG, preferred_username: 'pat@example.com', name: 'Pat P' },
      ),
      { userId: USER, orgId: ORG, username: 'pat@example.com', displayName: 'Pat P' },
    )
  })

  it('refuses an identity URL that names another user than userinfo', () => {
    const other = `https://acme.my.salesforce.com/id/${ORG}/0055g00000ZZZZZAAV`
    assert.equal(
      identityFromClaims({ sub: other }, { user_id: USER, organization_id: ORG, preferred_username: 'p' }),
      undefined,
    )
  })

  it('refuses values that are not Salesforce ids, or names with control characters', () => {
    assert.equal(
      identityFromClaims({ sub: 'x' }, { user_id: 'abc', organization_id: ORG, preferred_username: 'p' }),
      undefined,
    )
    assert.equal(
      identityFromClaims({ sub }, { user_id: USER, organization_id: ORG, preferred_username: 'p\r\nx' }),
      undefined,
    )
  })
})
