// The records of the setup objects that say who a user is (identity-object-defs.ts), derived
// from the seed's users, kept in step with the seed at every start. A profile owns a permission set
// (`IsOwnedByProfile`) that every user of the profile is assigned, so one query on
// PermissionSetAssignment tells a user's profile, permission sets and groups.

import { createHash } from 'node:crypto'
import type { DevOrgSeed } from '../seed/seed-types.ts'
import { userIdentity } from '../seed/user-identity.ts'
import { formatDateTime } from './field-values.ts'
import { insertData, type WriteContext } from './record-writer.ts'

const IDENTITY_SEED = 'identity_seed'
const IDENTITY_OBJECT_NAMES = [
  'PermissionSetAssignment',
  'PermissionSet',
  'PermissionSetGroup',
  'UserRole',
  'Profile',
]

/**
 * Makes the identity records those of this seed: unlike records clients change, they are the
 * org's setup, so a data folder started with a changed seed gets the new profiles, sets and
 * assignments (the old ones are deleted). Nothing is written when the seed's part is unchanged.
 */
export function syncIdentityRecords(
  ctx: WriteContext,
  seed: DevOrgSeed,
  userIds: ReadonlyMap<string, string>,
): number {
  const fingerprint = createHash('sha256')
    .update(
      JSON.stringify([
        seed.profiles ?? [],
        seed.permissionSets ?? [],
        seed.permissionSetGroups ?? [],
        seed.users.map((u) => [
          userIds.get(u.username.toLowerCase()),
          u.userType,
          u.profile,
          u.role,
          u.permissionSets,
          u.permissionSetGroups,
        ]),
      ]),
    )
    .digest('hex')
  if (ctx.store.getMeta(IDENTITY_SEED) === fingerprint) return 0
  let count = 0
  ctx.store.transaction(() => {
    const at = formatDateTime(ctx.now())
    for (const name of IDENTITY_OBJECT_NAMES)
      for (const record of ctx.store.list(name, false)) ctx.store.markDeleted(record.id, at)
    count = loadIdentityRecords(ctx, seed, userIds)
    ctx.store.setMeta(IDENTITY_SEED, fingerprint)
  })
  return count
}

/** Inserts the seed's profiles, roles, permission sets, groups and every user's assignments. */
function loadIdentityRecords(
  ctx: WriteContext,
  seed: DevOrgSeed,
  userIds: ReadonlyMap<string, string>,
): number {
  const object = (name: string) => ctx.schema.object(name)!
  const people = seed.users.map((u) => ({
    id: userIds.get(u.username.toLowerCase()),
    identity: userIdentity(seed, u),
  }))
  const profileNames = new Set([
    'Standard User',
    'System Administrator',
    ...(seed.profiles ?? []).map((p) => p.name),
  ])
  const profileSets = new Map<string, string>()
  for (const name of profileNames) {
    const profileId = insertData(ctx, object('Profile'), { Name: name, UserType: 'Standard' })
    const setName = `X00e${name.replace(/[^A-Za-z0-9]/g, '')}`
    const setId = insertData(ctx, object('PermissionSet'), {
      Name: setName,
      Label: name,
      IsOwnedByProfile: true,
      ProfileId: profileId,
      Type: 'Profile',
    })
    profileSets.set(name, setId)
  }
  for (const role of new Set(seed.users.flatMap((u) => (u.role === undefined ? [] : [u.role])))) {
    insertData(ctx, object('UserRole'), { Name: role, DeveloperName: role.replace(/[^A-Za-z0-9]+/g, '_') })
  }
  const sets = new Map<string, string>()
  for (const s of seed.permissionSets ?? []) {
    sets.set(
      s.name,
      insertData(ctx, object('PermissionSet'), {
        Name: s.name,
        Label: s.label ?? s.name,
        IsOwnedByProfile: false,
        Type: 'Regular',
      }),
    )
  }
  // A group's assignment points at the group's aggregate permission set, as Salesforce's does.
  const groups = new Map<string, { id: string; aggregate: string }>()
  for (const g of seed.permissionSetGroups ?? []) {
    const id = insertData(ctx, object('PermissionSetGroup'), {
      DeveloperName: g.name,
      MasterLabel: g.label ?? g.name,
      Status: 'Updated',
    })
    const aggregate = insertData(ctx, object('PermissionSet'), {
      Name: `X0PG${g.name}`,
      Label: g.label ?? g.name,
      IsOwnedByProfile: false,
      PermissionSetGroupId: id,
      Type: 'Group',
    })
    groups.set(g.name, { id, aggregate })
  }
  const assignments = object('PermissionSetAssignment')
  let count = 0
  for (const { id, identity } of people) {
    if (id === undefined) continue
    const assign = (data: Record<string, string>) => {
      insertData(ctx, assignments, { AssigneeId: id, IsActive: true, ...data })
      count++
    }
    assign({ PermissionSetId: profileSets.get(identity.profile)! })
    for (const s of identity.permissionSets) assign({ PermissionSetId: sets.get(s)! })
    for (const g of identity.permissionSetGroups) {
      const group = groups.get(g)!
      assign({ PermissionSetId: group.aggregate, PermissionSetGroupId: group.id })
    }
  }
  return count
}
