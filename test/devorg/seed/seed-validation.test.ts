import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { checksumSuffix, to18 } from '../../../devorg/ids.ts'
import { startDevOrg } from '../../../devorg/index.ts'
import { DEFAULT_SEED_PATH, loadSeed } from '../../../devorg/seed/load-seed.ts'
import type { DevOrgSeed } from '../../../devorg/seed/seed-types.ts'
import { SeedError, validateSeed } from '../../../devorg/seed/seed-validation.ts'

const dir = mkdtempSync(join(tmpdir(), 'devorg-seed-'))
after(() => rmSync(dir, { recursive: true, force: true }))

function base(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(loadSeed(undefined))) as Record<string, unknown>
}

function failure(input: unknown): SeedError {
  try {
    validateSeed(input, 'seed.json')
  } catch (error) {
    assert.ok(error instanceof SeedError)
    return error
  }
  assert.fail('expected a SeedError')
}

describe('seed loading and validation', () => {
  it('the shipped default seed has what the demo needs', () => {
    const seed = loadSeed(DEFAULT_SEED_PATH)
    assert.equal(seed.org.id.length, 18)
    const names = seed.connectedApps.map((a) => a.name)
    assert.ok(names.includes('forcegate Gateway') && names.includes('Order Portal'))
    const gateway = seed.connectedApps.find((a) => a.name === 'forcegate Gateway')!
    assert.equal(gateway.introspectAll, true)
    assert.ok(gateway.runAs)
    const portal = seed.connectedApps.find((a) => a.name === 'Order Portal')!
    assert.deepEqual(portal.redirectUris, [
      'http://127.0.0.1:8080/portal/callback',
      'http://127.0.0.1:8765/callback',
    ])
    assert.deepEqual(portal.scopes, ['api', 'refresh_token', 'openid', 'profile', 'email'])
    assert.ok(seed.connectedApps.some((a) => a.jwtAccessTokens))
    assert.ok(seed.objects.some((o) => o.name === 'Order_Event__e'))
    assert.ok(seed.objects.some((o) => o.name === 'Customer__c' && o.fields.some((f) => f.externalId)))
    assert.ok(seed.objects.some((o) => o.name === 'Contact' && o.fields.some((f) => f.externalId)))
    assert.ok((seed.records.Account ?? []).length >= 2)
    assert.ok(seed.initialAccessToken)
  })

  it('points at the offending field with file, JSON pointer and expectation', () => {
    const s = base()
    ;(s.connectedApps as Record<string, unknown>[])[1]!.redirectUris = ['http://ok/cb', 'not a url']
    const err = failure(s)
    assert.equal(err.pointer, '/connectedApps/1/redirectUris/1')
    assert.equal(
      err.message,
      'seed.json: /connectedApps/1/redirectUris/1: expected an absolute URL without fragment',
    )
  })

  it('checks types, unknown keys, ids and cross references', () => {
    const cases: Array<[(s: Record<string, unknown>) => void, string]> = [
      [(s) => delete s.org, '/org'],
      [(s) => ((s.users as Record<string, unknown>[])[1]!.modifyAllData = 'yes'), '/users/1/modifyAllData'],
      [(s) => (s.changeDataCapture = ['Opportunity', 'Bad Name']), '/changeDataCapture/1'],
      [
        (s) => ((s.duplicateRules as Record<string, unknown>[])[0]!.action = 'warn'),
        '/duplicateRules/0/action',
      ],
      [(s) => ((s.duplicateRules as Record<string, unknown>[])[0]!.fields = []), '/duplicateRules/0/fields'],
      [
        (s) => ((s.duplicateRules as Record<string, unknown>[])[0]!.resultKey = 'dupResult'),
        '/duplicateRules/0/resultKey',
      ],
      [(s) => ((s.org as Record<string, unknown>).id = '001000000000000'), '/org/id'],
      [(s) => ((s.org as Record<string, unknown>).sessionTimeoutSeconds = 0), '/org/sessionTimeoutSeconds'],
      [(s) => ((s.users as Record<string, unknown>[])[0]!.active = 'yes'), '/users/0/active'],
      [(s) => ((s.users as Record<string, unknown>[])[0]!.nickname = 'x'), '/users/0/nickname'],
      [
        (s) => ((s.connectedApps as Record<string, unknown>[])[0]!.runAs = 'ghost@example.com'),
        '/connectedApps/0/runAs',
      ],
      [
        (s) => ((s.connectedApps as Record<string, unknown>[])[2]!.introspectAll = true),
        '/connectedApps/2/introspectAll',
      ],
      [(s) => ((s.objects as Record<string, unknown>[])[0]!.name = 'Customer__x'), '/objects/0/name'],
      [
        (s) => ((s.objects as { fields: Record<string, unknown>[] }[])[0]!.fields[0]!.type = 'text'),
        '/objects/0/fields/0/type',
      ],
      [
        (s) => ((s.records as Record<string, unknown[]>).Account![0] = { Name: { nested: true } }),
        '/records/Account/0/Name',
      ],
      [
        (s) => (s.users = [...(s.users as unknown[]), (s.users as unknown[])[0]]),
        `/users/${(base().users as unknown[]).length}/username`,
      ],
    ]
    for (const [mutate, pointer] of cases) {
      const s = base()
      mutate(s)
      assert.equal(failure(s).pointer, pointer)
    }
  })

  it('reports unreadable files and invalid JSON at the root pointer', () => {
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{ "org": ')
    assert.throws(
      () => loadSeed(bad),
      (e: unknown) => e instanceof SeedError && e.message.startsWith(`${bad}: /: expected valid JSON`),
    )
    assert.throws(
      () => loadSeed(join(dir, 'missing.json')),
      /missing\.json: \/: expected a readable JSON file \(ENOENT\)/,
    )
  })

  it('normalises 15-character ids to 18 with the case checksum', () => {
    assert.equal(checksumSuffix('001000000000000'), 'AAA')
    assert.equal(to18('00D5g000004FgAt'), '00D5g000004FgAtEAK')
    assert.equal(to18('00D5g000004FgAtzzz'), '00D5g000004FgAtEAK')
    assert.equal(to18('short'), null)
  })
})

describe('seed records and rules the REST slice checks at start', () => {
  const withDefault = (change: (seed: DevOrgSeed) => void): DevOrgSeed => {
    const seed = JSON.parse(readFileSync(DEFAULT_SEED_PATH, 'utf8')) as DevOrgSeed
    change(seed)
    return seed
  }

  it('names what is wrong: an unknown object for change events, a duplicate rule field, an unknown owner', async () => {
    const cases: Array<[(seed: DevOrgSeed) => void, RegExp]> = [
      [(seed) => (seed.changeDataCapture = ['Invoice__c']), /changeDataCapture names Invoice__c/],
      [
        (seed) =>
          (seed.duplicateRules = [{ name: 'R', object: 'Contact', fields: ['Fax'], action: 'block' }]),
        /duplicate rule R: Contact has no field Fax/,
      ],
      [
        (seed) => ((seed.records.Opportunity ?? [])[0]!.OwnerId = 'ghost@example.com'),
        /Opportunity.OwnerId names ghost@example.com, who is not a seeded user/,
      ],
    ]
    for (const [change, message] of cases) {
      await assert.rejects(startDevOrg({ port: 0, seed: withDefault(change) }), message)
    }
  })
})
