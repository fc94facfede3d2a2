// Who users are in the org (user type, profile, role, permission sets and groups, custom
// permissions) and what a connected app tells about them (custom attributes and permissions).
// Kept beside seed-validation.ts, which calls these for each user, app and the seed root.

import type {
  DevOrgSeed,
  SeedConnectedApp,
  SeedPermissionHolder,
  SeedPermissionSetGroup,
  SeedUser,
} from './seed-types.ts'
import type { Checker } from './seed-validation.ts'

type Obj = Record<string, unknown>

export const USER_IDENTITY_KEYS = [
  'userType',
  'profile',
  'role',
  'department',
  'permissionSets',
  'permissionSetGroups',
] as const
export const APP_IDENTITY_KEYS = [
  'customPermissions',
  'customAttributes',
  'idTokenIncludeAttributes',
  'idTokenIncludeCustomPermissions',
] as const
export const ROOT_IDENTITY_KEYS = ['profiles', 'permissionSets', 'permissionSetGroups'] as const

/** Profiles every org has, whatever the seed says. */
export const BUILT_IN_PROFILES = ['Standard User', 'System Administrator'] as const

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/
const USER_TYPE = /^[A-Z][A-Z_]*$/
const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/

function names(c: Checker, raw: unknown, p: string, pattern?: RegExp, describe?: string): string[] {
  return c.array(raw, p).map((v, i) => c.string(v, `${p}/${i}`, pattern, describe))
}

export function checkUserIdentity(c: Checker, o: Obj, p: string, user: SeedUser): void {
  if (o.userType !== undefined)
    user.userType = c.string(
      o.userType,
      `${p}/userType`,
      USER_TYPE,
      'a user type such as STANDARD or POWER_PARTNER',
    )
  if (o.profile !== undefined) user.profile = c.string(o.profile, `${p}/profile`)
  if (o.role !== undefined) user.role = c.string(o.role, `${p}/role`)
  if (o.department !== undefined) user.department = c.string(o.department, `${p}/department`)
  if (o.permissionSets !== undefined)
    user.permissionSets = names(
      c,
      o.permissionSets,
      `${p}/permissionSets`,
      API_NAME,
      'a permission set API name',
    )
  if (o.permissionSetGroups !== undefined)
    user.permissionSetGroups = names(
      c,
      o.permissionSetGroups,
      `${p}/permissionSetGroups`,
      API_NAME,
      'a permission set group API name',
    )
}

export function checkAppIdentity(c: Checker, o: Obj, p: string, app: SeedConnectedApp): void {
  if (o.customPermissions !== undefined)
    app.customPermissions = names(
      c,
      o.customPermissions,
      `${p}/customPermissions`,
      API_NAME,
      'a custom permission API name',
    )
  if (o.customAttributes !== undefined) {
    const attrs = c.object(o.customAttributes, `${p}/customAttributes`)
    const out: Record<string, string> = {}
    for (const [key, value] of Object.entries(attrs)) {
      const kp = `${p}/customAttributes/${key}`
      if (!ATTRIBUTE_NAME.test(key)) c.fail(kp, 'an attribute name (letters, digits, _)')
      out[key] = c.string(value, kp)
    }
    app.customAttributes = out
  }
  if (o.idTokenIncludeAttributes !== undefined)
    app.idTokenIncludeAttributes = c.boolean(o.idTokenIncludeAttributes, `${p}/idTokenIncludeAttributes`)
  if (o.idTokenIncludeCustomPermissions !== undefined)
    app.idTokenIncludeCustomPermissions = c.boolean(
      o.idTokenIncludeCustomPermissions,
      `${p}/idTokenIncludeCustomPermissions`,
    )
}

function checkHolder(c: Checker, raw: unknown, p: string, namePattern?: RegExp): SeedPermissionHolder {
  const o = c.object(raw, p)
  c.onlyKeys(o, p, ['name', 'label', 'customPermissions'])
  const holder: SeedPermissionHolder = {
    name: c.string(o.name, `${p}/name`, namePattern, namePattern && 'an API name'),
  }
  if (o.label !== undefined) holder.label = c.string(o.label, `${p}/label`)
  if (o.customPermissions !== undefined)
    holder.customPermissions = names(
      c,
      o.customPermissions,
      `${p}/customPermissions`,
      API_NAME,
      'a custom permission API name',
    )
  return holder
}

function checkGroup(c: Checker, raw: unknown, p: string): SeedPermissionSetGroup {
  const o = c.object(raw, p)
  c.onlyKeys(o, p, ['name', 'label', 'permissionSets'])
  const group: SeedPermissionSetGroup = {
    name: c.string(o.name, `${p}/name`, API_NAME, 'an API name'),
    permissionSets: names(c, o.permissionSets, `${p}/permissionSets`, API_NAME, 'a permission set API name'),
  }
  if (o.label !== undefined) group.label = c.string(o.label, `${p}/label`)
  return group
}

/** Reads the root's profiles, permission sets and groups, then checks every name users and groups use. */
export function checkOrgIdentity(c: Checker, root: Obj, seed: DevOrgSeed): void {
  if (root.profiles !== undefined)
    seed.profiles = c.array(root.profiles, '/profiles').map((h, i) => checkHolder(c, h, `/profiles/${i}`))
  if (root.permissionSets !== undefined)
    seed.permissionSets = c
      .array(root.permissionSets, '/permissionSets')
      .map((h, i) => checkHolder(c, h, `/permissionSets/${i}`, API_NAME))
  if (root.permissionSetGroups !== undefined)
    seed.permissionSetGroups = c
      .array(root.permissionSetGroups, '/permissionSetGroups')
      .map((g, i) => checkGroup(c, g, `/permissionSetGroups/${i}`))
  const profiles = new Set<string>([...BUILT_IN_PROFILES, ...(seed.profiles ?? []).map((x) => x.name)])
  const sets = new Set((seed.permissionSets ?? []).map((x) => x.name))
  const groups = new Set((seed.permissionSetGroups ?? []).map((x) => x.name))
  seed.permissionSetGroups?.forEach((g, i) => {
    g.permissionSets.forEach((s, j) => {
      if (!sets.has(s))
        c.fail(`/permissionSetGroups/${i}/permissionSets/${j}`, 'the name of a seeded permission set')
    })
  })
  seed.users.forEach((u, i) => {
    if (u.profile !== undefined && !profiles.has(u.profile))
      c.fail(`/users/${i}/profile`, `the name of a seeded profile or one of ${BUILT_IN_PROFILES.join(', ')}`)
    u.permissionSets?.forEach((s, j) => {
      if (!sets.has(s)) c.fail(`/users/${i}/permissionSets/${j}`, 'the name of a seeded permission set')
    })
    u.permissionSetGroups?.forEach((g, j) => {
      if (!groups.has(g))
        c.fail(`/users/${i}/permissionSetGroups/${j}`, 'the name of a seeded permission set group')
    })
  })
}
