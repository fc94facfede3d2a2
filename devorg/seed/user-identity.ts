// Who a seeded user is in the org, as Salesforce derives it: the user type, the profile, the
// role, the permission sets assigned directly or through groups, and the custom permissions
// any of those grant. Identity documents, ID tokens and the SOQL slice all read it from here.

import { BUILT_IN_PROFILES } from './identity-seed-validation.ts'
import type { DevOrgSeed, SeedConnectedApp, SeedUser } from './seed-types.ts'

export type UserIdentity = {
  userType: string
  profile: string
  role: string | undefined
  /** Assigned directly. */
  permissionSets: readonly string[]
  permissionSetGroups: readonly string[]
  /** Granted by the profile, a permission set or a group's permission sets. */
  customPermissions: ReadonlySet<string>
}

const DEFAULT_PROFILE: string = BUILT_IN_PROFILES[0]

export function userIdentity(seed: DevOrgSeed, user: SeedUser): UserIdentity {
  const profile = user.profile ?? DEFAULT_PROFILE
  const sets = new Map((seed.permissionSets ?? []).map((s) => [s.name, s]))
  const groups = new Map((seed.permissionSetGroups ?? []).map((g) => [g.name, g]))
  const granted = new Set<string>(seed.profiles?.find((p) => p.name === profile)?.customPermissions ?? [])
  const effectiveSets = new Set(user.permissionSets ?? [])
  for (const g of user.permissionSetGroups ?? [])
    for (const s of groups.get(g)?.permissionSets ?? []) effectiveSets.add(s)
  for (const s of effectiveSets) for (const cp of sets.get(s)?.customPermissions ?? []) granted.add(cp)
  return {
    userType: user.userType ?? 'STANDARD',
    profile,
    role: user.role,
    permissionSets: user.permissionSets ?? [],
    permissionSetGroups: user.permissionSetGroups ?? [],
    customPermissions: granted,
  }
}

/** `custom_permissions` as the app reports it: each of the app's custom permissions, true or false. */
export function appCustomPermissions(
  app: SeedConnectedApp,
  identity: UserIdentity,
): Record<string, boolean> | undefined {
  if (app.customPermissions === undefined || app.customPermissions.length === 0) return undefined
  return Object.fromEntries(app.customPermissions.map((cp) => [cp, identity.customPermissions.has(cp)]))
}

/** `custom_attributes` as the app defines them; a value naming a field the user lacks is left out. */
export function appCustomAttributes(
  app: SeedConnectedApp,
  user: SeedUser,
  identity: UserIdentity,
): Record<string, string> | undefined {
  if (app.customAttributes === undefined) return undefined
  const fields: Record<string, string | undefined> = {
    '$User.Username': user.username,
    '$User.Email': user.email,
    '$User.Department': user.department,
    '$User.UserType': identity.userType,
    '$Profile.Name': identity.profile,
    '$UserRole.Name': identity.role,
  }
  const out: Record<string, string> = {}
  for (const [key, formula] of Object.entries(app.customAttributes)) {
    const value = formula.startsWith('$') ? fields[formula] : formula
    if (value !== undefined) out[key] = value
  }
  return out
}

/**
 * The identity claims an app adds to userinfo and the identity URL: custom attributes when it
 * defines any, custom permissions when the token carries the `custom_permissions` scope.
 */
export function identityClaims(
  seed: DevOrgSeed,
  clientId: string | undefined,
  user: SeedUser,
  scopes: ReadonlySet<string>,
  for_: 'document' | 'id_token',
): Record<string, unknown> {
  const app = seed.connectedApps.find((a) => a.clientId === clientId)
  if (app === undefined) return {}
  const identity = userIdentity(seed, user)
  const out: Record<string, unknown> = {}
  if (for_ === 'document' || app.idTokenIncludeAttributes === true) {
    const attributes = appCustomAttributes(app, user, identity)
    if (attributes !== undefined) out.custom_attributes = attributes
  }
  const wantsPermissions =
    for_ === 'document' ? scopes.has('custom_permissions') : app.idTokenIncludeCustomPermissions === true
  if (wantsPermissions) {
    const permissions = appCustomPermissions(app, identity)
    if (permissions !== undefined) out.custom_permissions = permissions
  }
  return out
}
