// Loads the seed's records into an empty store, once: a dev org restarted on the same data
// directory keeps what clients changed instead of resetting to the seed. Lookups to User may
// name a seeded user by username (`"OwnerId": "rep@example.com"`), since seed users rarely
// carry fixed ids.

import type { DevOrgSeed, SeedRecord } from '../seed/seed-types.ts'
import { createContentVersion, decodeBase64, splitVersionData } from './content-version.ts'
import { coerceValue } from './field-values.ts'
import { syncIdentityRecords } from './identity-objects.ts'
import { normalizeId } from './record-id.ts'
import type { RecordData } from './record-store.ts'
import { insertData, type WriteContext } from './record-writer.ts'
import type { ObjectDef } from './sobject-schema.ts'

const SEEDED = 'seeded'

function convert(ctx: WriteContext, obj: ObjectDef, record: SeedRecord): RecordData {
  const out: RecordData = {}
  for (const [key, value] of Object.entries(record)) {
    const field = ctx.schema.field(obj, key)
    if (!field) throw new Error(`seed: ${obj.name} has no field ${key}`)
    if (field.kind === 'id') {
      const id = typeof value === 'string' ? normalizeId(value) : null
      if (!id?.startsWith(obj.keyPrefix))
        throw new Error(`seed: ${obj.name} record has a bad Id ${String(value)}`)
      out.Id = id
      continue
    }
    out[field.name] = coerceValue(field, value)
  }
  return out
}

/** The record with usernames in User lookups replaced by those users' ids. */
function withUserIds(
  ctx: WriteContext,
  obj: ObjectDef,
  record: SeedRecord,
  userIds: ReadonlyMap<string, string>,
): SeedRecord {
  const out: SeedRecord = {}
  for (const [key, value] of Object.entries(record)) {
    const field = ctx.schema.field(obj, key)
    const named = field?.referenceTo.includes('User') && typeof value === 'string' && value.includes('@')
    if (!named) {
      out[key] = value
      continue
    }
    const id = userIds.get(String(value).toLowerCase())
    if (!id) throw new Error(`seed: ${obj.name}.${key} names ${String(value)}, who is not a seeded user`)
    out[key] = id
  }
  return out
}

/**
 * Loads `seed.records` unless this store was seeded before; returns how many were loaded. Who
 * users are (profiles, permission sets and their assignments) follows the seed at every start.
 */
export function loadSeedRecords(
  ctx: WriteContext,
  seed: DevOrgSeed,
  userIds: ReadonlyMap<string, string> = new Map(),
): number {
  if (ctx.store.getMeta(SEEDED) !== undefined) return syncIdentityRecords(ctx, seed, userIds)
  let count = 0
  ctx.store.transaction(() => {
    if (ctx.store.isEmpty()) {
      // Every org has a standard price book; entries for custom price books hang off it.
      const pricebook = ctx.schema.object('Pricebook2')
      if (pricebook)
        insertData(ctx, pricebook, { Name: 'Standard Price Book', IsActive: true, IsStandard: true })
      for (const [name, records] of Object.entries(seed.records)) {
        const obj = ctx.schema.object(name)
        if (!obj || obj.isEvent) throw new Error(`seed: unknown sObject ${name}`)
        for (const raw of records) {
          const record = withUserIds(ctx, obj, raw, userIds)
          if (obj.name === 'ContentVersion') {
            const { fields, base64 } = splitVersionData(record)
            createContentVersion(ctx, obj, fields, base64 === null ? null : decodeBase64(base64))
          } else {
            insertData(ctx, obj, convert(ctx, obj, record))
          }
          count++
        }
      }
    }
    ctx.store.setMeta(SEEDED, new Date().toISOString())
  })
  return count + syncIdentityRecords(ctx, seed, userIds)
}
