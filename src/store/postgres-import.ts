import { DatabaseSync } from 'node:sqlite'
import type { Partner } from './partner-store.ts'
import type { PostgresPartnerStore } from './postgres-partner-store.ts'
import type { SqlitePartnerStore } from './sqlite-partner-store.ts'
import { type Row, toPartner } from './sqlite-rows.ts'
import { isStoreError } from './store-error.ts'

export interface ImportCounts {
  readonly copied: number
  readonly present: number
}

export interface ImportSummary {
  readonly partners: ImportCounts
  readonly clients: ImportCounts
  readonly contracts: ImportCounts
  readonly events: ImportCounts
}

/** Every partner of a SQLite store, including those whose clients are all gone (a suspension outlives them). */
function sqlitePartners(path: string): readonly Partner[] {
  const db = new DatabaseSync(path, { readOnly: true })
  try {
    return (db.prepare('SELECT * FROM partners ORDER BY created_at, partner_id').all() as Row[]).map(
      toPartner,
    )
  } finally {
    db.close()
  }
}

const EVERY_EVENT = Number.MAX_SAFE_INTEGER

/**
 * Copies a SQLite partner store into PostgreSQL: partners with their status, clients with their
 * contracts (secrets opened with the source's keys and sealed again with the active one), and
 * the audit trail. What is already there is left as it is, so running it again copies nothing
 * twice. `from` must be open (and so migrated) on `fromPath`.
 */
export async function importSqlitePartners(
  from: SqlitePartnerStore,
  fromPath: string,
  to: PostgresPartnerStore,
): Promise<ImportSummary> {
  const count = () => ({ copied: 0, present: 0 })
  const partners = count()
  const clients = count()
  const contracts = count()
  const events = count()
  for (const partner of sqlitePartners(fromPath)) {
    if (await to.importPartner(partner)) partners.copied++
    else partners.present++
  }
  for (const client of await from.listClients()) {
    const secrets = await from.getSecrets(client.clientId)
    const its = await from.listContracts(client.clientId)
    if (secrets === undefined) continue
    try {
      await to.insertClient(client, secrets, its)
      clients.copied++
      contracts.copied += its.length
    } catch (error) {
      if (!isStoreError(error) || error.code !== 'STORE_DUPLICATE') throw error
      clients.present++
      contracts.present += its.length
    }
  }
  // Oldest first, so the copy keeps the order of the trail.
  for (const event of [...(await from.listEvents(undefined, EVERY_EVENT))].reverse()) {
    if (await to.importEvent(event)) events.copied++
    else events.present++
  }
  return { partners, clients, contracts, events }
}
