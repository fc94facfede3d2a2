/**
 * Message vectors for every configuration error of `x-forcegate-salesforce` and of its
 * `require:` (the identity requirement): a security scheme as a user writes it → the exact
 * messages, each with file, line, JSON pointer and what was expected.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { readSalesforceScheme } from '../../../../src/config/openapi/read-salesforce-scheme.ts'
import { parseSourceText } from '../../../../src/config/source-document.ts'
import { ConfigError, ConfigErrors } from '../../../../src/errors/config-error.ts'

const FILE = 'api.yaml'
const AT = '/components/securitySchemes/salesforce'
const EXT = `${AT}/x-forcegate-salesforce`

/** The scheme's YAML, indented under `components.securitySchemes.salesforce` (line 4 onwards). */
function read(schemeYaml: string) {
  const text = `components:\n  securitySchemes:\n    salesforce:\n${schemeYaml
    .trim()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n')}\n`
  const doc = parseSourceText(FILE, text)
  const raw = (doc.data as { components: { securitySchemes: { salesforce: Record<string, unknown> } } })
    .components.securitySchemes.salesforce
  return readSalesforceScheme(
    FILE,
    { name: 'salesforce', pointer: AT, raw },
    'Order Status',
    new Set(['devorg', 'prod']),
    doc.lineOf,
  )
}

function messages(fn: () => unknown): string[] {
  try {
    fn()
  } catch (err) {
    if (err instanceof ConfigErrors) return err.errors.map((e) => e.message)
    if (err instanceof ConfigError) return [err.message]
    throw err
  }
  assert.fail('expected a configuration error')
}

const HEAD = 'type: oauth2\nx-forcegate-salesforce:\n  org: devorg'

const vectors: { name: string; yaml: string; expect: string[] }[] = [
  {
    name: 'the extension is not an object',
    yaml: 'type: oauth2\nx-forcegate-salesforce: devorg',
    expect: [`${FILE}:5: ${EXT}: expected an object, found the string "devorg"`],
  },
  {
    name: 'an unknown setting and an org that is not a name',
    yaml: 'type: oauth2\nx-forcegate-salesforce:\n  org: 3\n  orgs: devorg',
    expect: [
      `${FILE}:7: ${EXT}/orgs: is not a known setting (org, accept, scopeMatch, contract, api, cacheTtlSeconds, negativeCacheTtlSeconds, require)`,
      `${FILE}:6: ${EXT}/org: expected the name of an org under salesforce.orgs in forcegate.yaml, found number 3`,
    ],
  },
  {
    name: 'a missing org is reported where to add it',
    yaml: 'type: oauth2\nx-forcegate-salesforce:\n  contract: none',
    expect: [`${FILE}:6: ${EXT}/org: expected the name of an org under salesforce.orgs in forcegate.yaml`],
  },
  {
    name: 'an org that forcegate.yaml does not define',
    yaml: 'type: oauth2\nx-forcegate-salesforce:\n  org: staging',
    expect: [
      `${FILE}:6: ${EXT}/org: org 'staging' is not defined under salesforce.orgs in forcegate.yaml (known: devorg, prod)`,
    ],
  },
  {
    name: 'an empty list of credential kinds',
    yaml: `${HEAD}\n  accept: []`,
    expect: [`${FILE}:7: ${EXT}/accept: expected a non-empty list of jwt, opaque, session`],
  },
  {
    name: 'every problem of one extension in one run',
    yaml: `${HEAD}\n  accept: [jwt, saml]\n  scopeMatch: some\n  contract: optional\n  api: Order Status\n  cacheTtlSeconds: 7200\n  negativeCacheTtlSeconds: -1`,
    expect: [
      `${FILE}:7: ${EXT}/accept: expected a non-empty list of jwt, opaque, session`,
      `${FILE}:8: ${EXT}/scopeMatch: expected all or any`,
      `${FILE}:9: ${EXT}/contract: expected required or none`,
      `${FILE}:10: ${EXT}/api: expected a lower-case id (letters, digits, dashes)`,
      `${FILE}:11: ${EXT}/cacheTtlSeconds: expected an integer from 0 to 3600, found number 7200`,
      `${FILE}:12: ${EXT}/negativeCacheTtlSeconds: expected an integer from 0 to 300, found number -1`,
    ],
  },
  {
    name: 'a cache TTL written as text',
    yaml: `${HEAD}\n  cacheTtlSeconds: '60'`,
    expect: [`${FILE}:7: ${EXT}/cacheTtlSeconds: expected an integer from 0 to 3600, found the string "60"`],
  },
  {
    name: 'a requirement that is a list',
    yaml: `${HEAD}\n  require: [STANDARD]`,
    expect: [`${FILE}:7: ${EXT}/require: expected an object, found a list`],
  },
  {
    name: 'every problem of one requirement in one run',
    yaml: [
      HEAD,
      '  require:',
      '    userTypes: [STANDARD]',
      '    profile: []',
      '    permissionSets: { oneOf: [Blog_Author] }',
      '    permissionSetGroups: Editorial_Team',
      '    customPermissions: { anyOf: [bad/name], allOf: [Publish] }',
      '    customAttributes: { Department: [] }',
    ].join('\n'),
    expect: [
      `${FILE}:8: ${EXT}/require/userTypes: is not a known requirement (userType, profile, permissionSets, permissionSetGroups, customPermissions, customAttributes)`,
      `${FILE}:9: ${EXT}/require/profile: expected a non-empty list of names`,
      `${FILE}:10: ${EXT}/require/permissionSets: expected a list of names, or { anyOf: [...] } and/or { allOf: [...] }`,
      `${FILE}:11: ${EXT}/require/permissionSetGroups: expected a list of names, or { anyOf: [...] } and/or { allOf: [...] }`,
      `${FILE}:12: ${EXT}/require/customPermissions/anyOf: expected a non-empty list of names`,
      `${FILE}:13: ${EXT}/require/customAttributes/Department: expected a non-empty list of values`,
    ],
  },
  {
    name: 'an unknown key beside anyOf',
    yaml: `${HEAD}\n  require:\n    permissionSets: { anyOf: [Blog_Author], noneOf: [Guest] }`,
    expect: [`${FILE}:8: ${EXT}/require/permissionSets/noneOf: expected anyOf or allOf`],
  },
  {
    name: 'custom attributes with no attribute',
    yaml: `${HEAD}\n  require:\n    customAttributes: {}`,
    expect: [
      `${FILE}:8: ${EXT}/require/customAttributes: expected an object of attribute name to a list of allowed values`,
    ],
  },
]

describe('x-forcegate-salesforce configuration errors', () => {
  for (const v of vectors) {
    test(v.name, () =>
      assert.deepEqual(
        messages(() => read(v.yaml)),
        v.expect,
      ),
    )
  }
})

describe('x-forcegate-salesforce defaults', () => {
  test('every credential kind, all scopes, a contract for the title as a slug, 300 s and 10 s', () => {
    assert.deepEqual(read(HEAD), {
      schemeName: 'salesforce',
      org: 'devorg',
      accept: ['jwt', 'opaque', 'session'],
      scopeMatch: 'all',
      contract: true,
      api: 'order-status',
      cacheTtlSeconds: 300,
      negativeCacheTtlSeconds: 10,
      require: undefined,
      pointer: EXT,
    })
  })

  test('a requirement is read with plain lists as anyOf', () => {
    const spec = read(
      `${HEAD}\n  require:\n    userType: [STANDARD]\n    permissionSets: [Blog_Author]\n    customPermissions: { allOf: [Publish] }\n    customAttributes: { Department: [Engineering] }`,
    )
    assert.deepEqual(spec.require, {
      userType: ['STANDARD'],
      permissionSets: { anyOf: ['Blog_Author'], allOf: [] },
      customPermissions: { anyOf: [], allOf: ['Publish'] },
      customAttributes: { Department: ['Engineering'] },
    })
  })
})
