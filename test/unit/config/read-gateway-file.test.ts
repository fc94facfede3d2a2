/**
 * Message vectors for every kind of configuration error of `forcegate.yaml`, section by
 * section: the file as a user writes it → the exact messages, each with file, line, JSON
 * pointer and what was expected (never a secret written where a reference belongs).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { readGatewayFile } from '../../../src/config/read-gateway-file.ts'
import { parseSourceText } from '../../../src/config/source-document.ts'
import { ConfigError, ConfigErrors } from '../../../src/errors/config-error.ts'

const FILE = 'forcegate.yaml'

function messages(lines: string[]): string[] {
  try {
    readGatewayFile(parseSourceText(FILE, `${lines.join('\n')}\n`))
  } catch (err) {
    if (err instanceof ConfigErrors) return err.errors.map((e) => e.message)
    if (err instanceof ConfigError) return [err.message]
    throw err
  }
  assert.fail('expected a configuration error')
}

const vectors: { name: string; yaml: string[]; expect: string[] }[] = [
  {
    name: 'server: an unknown setting, a host that is not text, numbers out of range',
    yaml: [
      'server:',
      '  port: 70000',
      '  host: 3',
      '  headersTimeoutMs: 10',
      '  maxBodyBytes: -1',
      '  keepAlive: 5',
    ],
    expect: [
      `${FILE}:6: /server/keepAlive: is not a known setting`,
      `${FILE}:3: /server/host: expected a string, found number 3`,
      `${FILE}:2: /server/port: expected an integer from 0 to 65535, found number 70000`,
      `${FILE}:4: /server/headersTimeoutMs: expected an integer from 1000 to 300000, found number 10`,
      `${FILE}:5: /server/maxBodyBytes: expected an integer from 0 to 1073741824, found number -1`,
    ],
  },
  {
    name: 'api: stage, ids, account and region of the wrong form, a stage variable of the wrong name and one that is not text',
    yaml: [
      'api:',
      "  stage: 'dev stage'",
      '  apiId: ABC',
      "  accountId: '12345'",
      '  region: EU',
      '  stageVariables:',
      '    bad-name: x',
      '    ok: 3',
    ],
    expect: [
      `${FILE}:2: /api/stage: expected a string matching ^[A-Za-z0-9_$-]+$, found the string "dev stage"`,
      `${FILE}:7: /api/stageVariables/bad-name: expected a name matching ^[A-Za-z0-9_]+$`,
      `${FILE}:8: /api/stageVariables/ok: expected a string, found number 3`,
      `${FILE}:3: /api/apiId: expected a string matching ^[a-z0-9]{1,32}$, found the string "ABC"`,
      `${FILE}:4: /api/accountId: expected a string matching ^\\d{12}$, found the string "12345"`,
      `${FILE}:5: /api/region: expected a string matching ^[a-z0-9-]+$, found the string "EU"`,
    ],
  },
  {
    name: 'functions, lambda and log: a folder that is not a list, an unknown setting, an unknown level',
    yaml: [
      'functions: ./handlers',
      'lambda:',
      '  timeoutMs: 1',
      'log:',
      '  level: verbose',
      "  access: 'yes'",
    ],
    expect: [
      `${FILE}:1: /functions: expected a list, found the string "./handlers"`,
      `${FILE}:3: /lambda/timeoutMs: is not a known setting`,
      `${FILE}:5: /log/level: expected one of debug, info, warn, error, silent, found the string "verbose"`,
      `${FILE}:6: /log/access: expected true or false, found the string "yes"`,
    ],
  },
  {
    name: 'salesforce: an org name of the wrong form, an org with an issuer, org id, client id and timeout of the wrong form, and a secret written in the file (not shown)',
    yaml: [
      'salesforce:',
      '  orgs:',
      '    bad name:',
      '      issuer: https://x',
      '    prod:',
      '      issuer: ftp://login.salesforce.com',
      '      orgId: 00Dxyz',
      '      introspection:',
      "        clientId: ''",
      '        clientSecret: hunter2',
      '      timeoutMs: 10',
    ],
    expect: [
      `${FILE}:4: /salesforce/orgs/bad name: expected a name matching ^[A-Za-z0-9_-]+$`,
      `${FILE}:6: /salesforce/orgs/prod/issuer: expected a string matching ^https?://, found the string "ftp://login.salesforce.com"`,
      `${FILE}:7: /salesforce/orgs/prod/orgId: expected a string matching ^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$, found the string "00Dxyz"`,
      `${FILE}:9: /salesforce/orgs/prod/introspection/clientId: expected a non-empty string`,
      `${FILE}:10: /salesforce/orgs/prod/introspection/clientSecret: expected { env } or { file } (exactly one of them), found a string`,
      `${FILE}:11: /salesforce/orgs/prod/timeoutMs: expected an integer from 50 to 30000, found number 10`,
    ],
  },
  {
    name: 'a secret reference with both env and file',
    yaml: [
      'salesforce:',
      '  orgs:',
      '    prod:',
      '      issuer: https://login.salesforce.com',
      '      introspection:',
      '        clientId: abc',
      "        clientSecret: { env: 'lower-case' , file: x }",
    ],
    expect: [
      `${FILE}:7: /salesforce/orgs/prod/introspection/clientSecret: expected { env } or { file } (exactly one of them), found an object with env, file`,
    ],
  },
  {
    name: 'partners: an org URL, a usage plan with limits out of range and an unknown quota period',
    yaml: [
      'partners:',
      '  org: { url: x }',
      '  encryption: {}',
      '  usagePlans:',
      '    - name: gold',
      '      throttle: { rateLimit: 0, burstLimit: 0 }',
      '      quota: { limit: 10, period: YEAR }',
    ],
    expect: [
      `${FILE}:2: /partners/org/url: expected a string matching ^https?://, found the string "x"`,
      `${FILE}:6: /partners/usagePlans/0/throttle/rateLimit: expected a number greater than 0, found number 0`,
      `${FILE}:6: /partners/usagePlans/0/throttle/burstLimit: expected an integer of at least 1, found number 0`,
      `${FILE}:7: /partners/usagePlans/0/quota/period: expected one of DAY, WEEK, MONTH, found the string "YEAR"`,
    ],
  },
  {
    name: 'portal: a missing client and an origin with a path',
    yaml: ['portal:', '  publicOrigin: https://portal.example.com/', '  org: prod'],
    expect: [
      `${FILE}:2: /portal/client: a required setting is missing`,
      `${FILE}:2: /portal/publicOrigin: expected a string matching ^https?://[^/]+$, found the string "https://portal.example.com/"`,
    ],
  },
  {
    name: 'stores: an unknown fallback and a database URL written in the file (not shown)',
    yaml: [
      'stores:',
      '  redis:',
      '    url: { env: REDIS_URL }',
      '    onStoreError: open',
      "  postgres: { url: 'postgres://u:p@h/db' }",
    ],
    expect: [
      `${FILE}:4: /stores/redis/onStoreError: expected one of closed, local, found the string "open"`,
      `${FILE}:5: /stores/postgres/url: expected { env } or { file } (exactly one of them), found a string`,
    ],
  },
  {
    name: 'relay and subscriptions: an unknown setting and subscriptions that are not a list',
    yaml: ['relay:', '  foo: 1', 'subscriptions: 3'],
    expect: [
      `${FILE}:2: /relay/foo: is not a known setting`,
      `${FILE}:3: /subscriptions: expected a list, found number 3`,
    ],
  },
  {
    name: 'an unknown section',
    yaml: ['servers: {}'],
    expect: [`${FILE}:1: /servers: is not a known setting`],
  },
  {
    name: 'a secret reference naming a variable that cannot be one',
    yaml: ['stores:', "  postgres: { url: { env: 'lower-case' } }"],
    expect: [
      `${FILE}:2: /stores/postgres/url/env: expected a string matching ^[A-Za-z_][A-Za-z0-9_]*$, found the string "lower-case"`,
    ],
  },
  {
    name: 'a secret reference naming an empty file',
    yaml: ['stores:', "  postgres: { url: { file: '' } }"],
    expect: [`${FILE}:2: /stores/postgres/url/file: expected a non-empty string`],
  },
  {
    name: 'relay: an org name of the wrong form',
    yaml: ['relay:', '  orgs:', '    dev.org: {}'],
    expect: [`${FILE}:3: /relay/orgs/dev.org: expected a name matching ^[A-Za-z0-9_-]{1,64}$`],
  },
]

describe('forcegate.yaml configuration errors', () => {
  for (const v of vectors) {
    test(v.name, () => assert.deepEqual(messages(v.yaml), v.expect))
  }

  test('a secret written where a reference belongs is never repeated in a message', () => {
    const all = messages([
      'salesforce:',
      '  orgs:',
      '    prod:',
      '      issuer: https://login.salesforce.com',
      '      introspection: { clientId: abc, clientSecret: hunter2-secret }',
      'stores:',
      "  postgres: { url: 'postgres://app:pa55word@db/forcegate' }",
    ]).join('\n')
    assert.doesNotMatch(all, /hunter2|pa55word/)
  })

  test('no file at all is every default', () => {
    const config = readGatewayFile(undefined)
    assert.equal(config.server.port, 8080)
    assert.equal(config.log.level, 'info')
  })
})
