/**
 * Message vectors for every configuration error of `x-forcegate-session`: a cookie scheme as a
 * user writes it → the exact messages, each with file, line, JSON pointer and what was expected.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { readSessionScheme } from '../../../../src/config/openapi/read-session-scheme.ts'
import { parseSourceText } from '../../../../src/config/source-document.ts'
import { ConfigError, ConfigErrors } from '../../../../src/errors/config-error.ts'

const FILE = 'api.yaml'
const AT = '/components/securitySchemes/portal'
const EXT = `${AT}/x-forcegate-session`
const HEAD = 'type: apiKey\nin: cookie\nname: sid'

/** The scheme's YAML, indented under `components.securitySchemes.portal` (line 4 onwards). */
function read(schemeYaml: string) {
  const text = `components:\n  securitySchemes:\n    portal:\n${schemeYaml
    .trim()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n')}\n`
  const doc = parseSourceText(FILE, text)
  const raw = (doc.data as { components: { securitySchemes: { portal: Record<string, unknown> } } })
    .components.securitySchemes.portal
  return readSessionScheme(FILE, { name: 'portal', pointer: AT, raw }, doc.lineOf)
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

const vectors: { name: string; yaml: string; expect: string[] }[] = [
  {
    name: 'the extension is not an object',
    yaml: `${HEAD}\nx-forcegate-session: true`,
    expect: [`${FILE}:7: ${EXT}: expected an object, found boolean true`],
  },
  {
    name: 'an unknown setting and a TTL that is not an integer',
    yaml: `${HEAD}\nx-forcegate-session:\n  ttl: 60\n  cacheTtlSeconds: 1.5`,
    expect: [
      `${FILE}:8: ${EXT}/ttl: is not a known setting (require, cacheTtlSeconds)`,
      `${FILE}:9: ${EXT}/cacheTtlSeconds: expected an integer from 0 to 3600, found number 1.5`,
    ],
  },
  {
    name: 'a requirement naming a permission set that is not a name',
    yaml: `${HEAD}\nx-forcegate-session:\n  require:\n    profile: [Standard User]\n    permissionSets: [42]`,
    expect: [`${FILE}:10: ${EXT}/require/permissionSets: expected a non-empty list of names`],
  },
  {
    name: 'custom attributes that are a list',
    yaml: `${HEAD}\nx-forcegate-session:\n  require:\n    customAttributes: [Department]`,
    expect: [
      `${FILE}:9: ${EXT}/require/customAttributes: expected an object of attribute name to a list of allowed values`,
    ],
  },
]

describe('x-forcegate-session configuration errors', () => {
  for (const v of vectors) {
    test(v.name, () =>
      assert.deepEqual(
        messages(() => read(v.yaml)),
        v.expect,
      ),
    )
  }

  test('an empty extension lets every signed-in user through and keeps facts 300 s', () => {
    assert.deepEqual(read(`${HEAD}\nx-forcegate-session: {}`), {
      schemeName: 'portal',
      require: undefined,
      cacheTtlSeconds: 300,
      pointer: EXT,
    })
  })
})
