import { describe, isObject, type JsonObject } from '../field-reader.ts'

/** `anyOf` needs one of the names, `allOf` every one; a plain list means `anyOf`. */
export interface NameRequirementSpec {
  readonly anyOf: readonly string[]
  readonly allOf: readonly string[]
}

/** `require:` of `x-forcegate-salesforce` or `x-forcegate-session`: who may call, in Salesforce's terms. */
export interface IdentityRequirementSpec {
  readonly userType?: readonly string[]
  readonly profile?: readonly string[]
  readonly permissionSets?: NameRequirementSpec
  readonly permissionSetGroups?: NameRequirementSpec
  readonly customPermissions?: NameRequirementSpec
  readonly customAttributes?: Readonly<Record<string, readonly string[]>>
}

const KEYS = [
  'userType',
  'profile',
  'permissionSets',
  'permissionSetGroups',
  'customPermissions',
  'customAttributes',
]
const NAME = /^[A-Za-z0-9][A-Za-z0-9_ .-]{0,79}$/

/**
 * Reads a requirement; `fail(path, expected)` records a problem at the path of keys below the
 * extension (`['require', 'permissionSets', 'anyOf']`). Returns undefined when nothing is required or a problem was found.
 *
 *     require:
 *       userType: [STANDARD]                       # employees, not partner or community users
 *       profile: [Standard User]
 *       permissionSets: { anyOf: [Blog_Author] }   # or allOf; a plain list is anyOf
 *       permissionSetGroups: [Editorial_Team]
 *       customPermissions: { allOf: [Publish_Blog_Posts] }
 *       customAttributes: { Department: [Engineering] }
 */
export function readIdentityRequirement(
  value: unknown,
  fail: (path: readonly string[], expected: string) => void,
): IdentityRequirementSpec | undefined {
  if (value === undefined) return undefined
  if (!isObject(value)) {
    fail(['require'], `expected an object, found ${describe(value)}`)
    return undefined
  }
  let ok = true
  const problem = (key: string, expected: string) => {
    ok = false
    fail(['require', ...key.split('/')], expected)
  }
  const out: { -readonly [K in keyof IdentityRequirementSpec]: IdentityRequirementSpec[K] } = {}
  for (const key of Object.keys(value)) {
    if (!KEYS.includes(key)) problem(key, `is not a known requirement (${KEYS.join(', ')})`)
  }
  const names = (v: unknown, key: string): string[] | undefined => {
    if (!Array.isArray(v) || v.length === 0 || !v.every((n) => typeof n === 'string' && NAME.test(n))) {
      problem(key, 'expected a non-empty list of names')
      return undefined
    }
    return v as string[]
  }
  for (const key of ['userType', 'profile'] as const) {
    const list = value[key] === undefined ? undefined : names(value[key], key)
    if (list !== undefined) out[key] = list
  }
  for (const key of ['permissionSets', 'permissionSetGroups', 'customPermissions'] as const) {
    const v = value[key]
    if (v === undefined) continue
    if (Array.isArray(v)) {
      const list = names(v, key)
      if (list !== undefined) out[key] = { anyOf: list, allOf: [] }
      continue
    }
    if (!isObject(v) || (v.anyOf === undefined && v.allOf === undefined)) {
      problem(key, 'expected a list of names, or { anyOf: [...] } and/or { allOf: [...] }')
      continue
    }
    for (const k of Object.keys(v))
      if (k !== 'anyOf' && k !== 'allOf') problem(`${key}/${k}`, 'expected anyOf or allOf')
    const anyOf = v.anyOf === undefined ? [] : names(v.anyOf, `${key}/anyOf`)
    const allOf = v.allOf === undefined ? [] : names(v.allOf, `${key}/allOf`)
    if (anyOf !== undefined && allOf !== undefined) out[key] = { anyOf, allOf }
  }
  const attrs = value.customAttributes
  if (attrs !== undefined) {
    if (!isObject(attrs) || Object.keys(attrs).length === 0) {
      problem('customAttributes', 'expected an object of attribute name to a list of allowed values')
    } else {
      const map: Record<string, string[]> = {}
      for (const [name, allowed] of Object.entries(attrs as JsonObject)) {
        const list =
          Array.isArray(allowed) && allowed.length > 0 && allowed.every((a) => typeof a === 'string')
            ? (allowed as string[])
            : undefined
        if (list === undefined) {
          ok = false
          fail(['require', 'customAttributes', name], 'expected a non-empty list of values')
        } else map[name] = list
      }
      out.customAttributes = map
    }
  }
  if (!ok) return undefined
  return Object.keys(out).length === 0 ? undefined : out
}
