import { DatabaseSync } from 'node:sqlite'
import { preparePrivateFile } from '../lib/private-path.ts'
import type {
  ClientSecrets,
  ClientStatus,
  Contract,
  Partner,
  PartnerClient,
  PartnerEvent,
  PartnerStatus,
  PartnerStore,
} from './partner-store.ts'
import type { SecretBox } from './secret-box.ts'
import { migrate } from './sqlite-migrations.ts'
import { optionalText, type Row, text, toClient, toContract, toPartner } from './sqlite-rows.ts'
import { StoreError } from './store-error.ts'

export interface SqlitePartnerStoreOptions {
  /** A file path, or `:memory:`. The parent folder is created when missing. */
  readonly path: string
  readonly secretBox: SecretBox
  /** The gateway's configured usage plans, recorded at open for the tools sharing the store. */
  readonly usagePlans?: readonly string[]
  readonly clock?: () => number
}

const aad = (clientId: string, field: string) => `partner_clients:${clientId}:${field}`

const CLIENT_COLUMNS = `client_id, partner_id, name, redirect_uris, contact, granted_scopes, status, registration_client_uri,
  client_id_issued_at, client_secret_expires_at, rotated_from, created_at, updated_at`

/**
 * The embedded partner store on `node:sqlite`. Calls are synchronous underneath; the async
 * surface is the interface's, so callers are ready for a networked backend.
 */
export class SqlitePartnerStore implements PartnerStore {
  readonly #db: DatabaseSync
  readonly #box: SecretBox
  #closed = false

  constructor(options: SqlitePartnerStoreOptions) {
    preparePrivateFile(options.path)
    this.#db = new DatabaseSync(options.path)
    this.#box = options.secretBox
    try {
      this.#db.exec('PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 2000;')
      if (options.path !== ':memory:') this.#db.exec('PRAGMA journal_mode = WAL;')
      migrate(this.#db)
      this.#checkKeys()
      if (options.usagePlans !== undefined)
        this.#recordUsagePlans(options.usagePlans, (options.clock ?? Date.now)())
    } catch (error) {
      this.#db.close()
      throw error
    }
  }

  /** Fails at open, not at the first secret read, when a stored value's key is not configured. */
  #checkKeys(): void {
    const rows = this.#db.prepare('SELECT DISTINCT secret_key_id FROM partner_clients').all() as Row[]
    for (const row of rows) {
      const keyId = text(row, 'secret_key_id')
      if (!this.#box.knows(keyId))
        throw new StoreError(
          'STORE_KEY_UNKNOWN',
          `partner secrets are sealed with key ${keyId}, which is not configured (wrong or missing encryption key)`,
        )
    }
  }

  #live(): DatabaseSync {
    if (this.#closed) throw new StoreError('STORE_CLOSED', 'partner store is closed')
    return this.#db
  }

  #transaction<T>(work: (db: DatabaseSync) => T): T {
    const db = this.#live()
    db.exec('BEGIN IMMEDIATE')
    try {
      const result = work(db)
      db.exec('COMMIT')
      return result
    } catch (error) {
      db.exec('ROLLBACK')
      throw error
    }
  }

  #sealSecrets(clientId: string, secrets: ClientSecrets) {
    const token = this.#box.seal(secrets.registrationAccessToken, aad(clientId, 'registration_access_token'))
    const secret =
      secrets.clientSecret === undefined
        ? null
        : this.#box.seal(secrets.clientSecret, aad(clientId, 'client_secret'))
    return { keyId: token.keyId, token: token.data, secret: secret?.data ?? null }
  }

  async insertClient(
    client: PartnerClient,
    secrets: ClientSecrets,
    contracts: readonly Contract[],
  ): Promise<void> {
    const sealed = this.#sealSecrets(client.clientId, secrets)
    this.#transaction((db) => {
      const exists = db.prepare('SELECT 1 FROM partner_clients WHERE client_id = ?').get(client.clientId)
      if (exists !== undefined) throw new StoreError('STORE_DUPLICATE', 'client already stored')
      db.prepare(
        `INSERT INTO partners (partner_id, status, created_at, updated_at) VALUES (?, 'active', ?, ?)
         ON CONFLICT (partner_id) DO NOTHING`,
      ).run(client.partnerId, client.createdAt, client.createdAt)
      db.prepare(
        `INSERT INTO partner_clients (${CLIENT_COLUMNS}, secret_key_id, client_secret, registration_access_token)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        client.clientId,
        client.partnerId,
        client.name,
        JSON.stringify(client.redirectUris),
        client.contact ?? null,
        JSON.stringify(client.grantedScopes),
        client.status,
        client.registrationClientUri,
        client.clientIdIssuedAt ?? null,
        client.clientSecretExpiresAt ?? null,
        client.rotatedFrom ?? null,
        client.createdAt,
        client.updatedAt,
        sealed.keyId,
        sealed.secret,
        sealed.token,
      )
      for (const contract of contracts) this.#putContract(db, contract)
    })
  }

  async getClient(clientId: string): Promise<PartnerClient | undefined> {
    const row = this.#live()
      .prepare(`SELECT ${CLIENT_COLUMNS} FROM partner_clients WHERE client_id = ?`)
      .get(clientId) as Row | undefined
    return row === undefined ? undefined : toClient(row)
  }

  async listClients(): Promise<readonly PartnerClient[]> {
    const rows = this.#live()
      .prepare(`SELECT ${CLIENT_COLUMNS} FROM partner_clients ORDER BY created_at, client_id`)
      .all() as Row[]
    return rows.map(toClient)
  }

  async getSecrets(clientId: string): Promise<ClientSecrets | undefined> {
    const row = this.#live()
      .prepare(
        'SELECT secret_key_id, client_secret, registration_access_token FROM partner_clients WHERE client_id = ?',
      )
      .get(clientId) as Row | undefined
    if (row === undefined) return undefined
    const keyId = text(row, 'secret_key_id')
    const secret = row.client_secret
    return {
      clientSecret:
        secret instanceof Uint8Array
          ? this.#box.open({ keyId, data: secret }, aad(clientId, 'client_secret'))
          : undefined,
      registrationAccessToken: this.#box.open(
        { keyId, data: row.registration_access_token as Uint8Array },
        aad(clientId, 'registration_access_token'),
      ),
    }
  }

  async setClientStatus(clientId: string, status: ClientStatus, at: number): Promise<boolean> {
    const result = this.#live()
      .prepare('UPDATE partner_clients SET status = ?, updated_at = ? WHERE client_id = ?')
      .run(status, at, clientId)
    return Number(result.changes) > 0
  }

  async getPartner(partnerId: string): Promise<Partner | undefined> {
    const row = this.#live().prepare('SELECT * FROM partners WHERE partner_id = ?').get(partnerId) as
      | Row
      | undefined
    return row === undefined ? undefined : toPartner(row)
  }

  async setPartnerStatus(partnerId: string, status: PartnerStatus, at: number): Promise<boolean> {
    const result = this.#live()
      .prepare('UPDATE partners SET status = ?, updated_at = ? WHERE partner_id = ?')
      .run(status, at, partnerId)
    return Number(result.changes) > 0
  }

  async listClientsOf(partnerId: string): Promise<readonly PartnerClient[]> {
    const rows = this.#live()
      .prepare(
        `SELECT ${CLIENT_COLUMNS} FROM partner_clients WHERE partner_id = ? ORDER BY created_at, client_id`,
      )
      .all(partnerId) as Row[]
    return rows.map(toClient)
  }

  #recordUsagePlans(names: readonly string[], at: number): void {
    this.#db
      .prepare(
        `INSERT INTO store_meta (key, value, updated_at) VALUES ('usage_plans', ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(JSON.stringify([...names].sort()), at)
  }

  async recordedUsagePlans(): Promise<readonly string[] | undefined> {
    const row = this.#live().prepare("SELECT value FROM store_meta WHERE key = 'usage_plans'").get() as
      | Row
      | undefined
    return row === undefined ? undefined : Object.freeze(JSON.parse(text(row, 'value')) as string[])
  }

  async deleteClient(clientId: string): Promise<boolean> {
    const result = this.#live().prepare('DELETE FROM partner_clients WHERE client_id = ?').run(clientId)
    return Number(result.changes) > 0
  }

  async listContracts(clientId: string): Promise<readonly Contract[]> {
    const rows = this.#live()
      .prepare('SELECT * FROM partner_contracts WHERE client_id = ? ORDER BY api')
      .all(clientId) as Row[]
    return rows.map(toContract)
  }

  async getContract(clientId: string, api: string): Promise<Contract | undefined> {
    const row = this.#live()
      .prepare('SELECT * FROM partner_contracts WHERE client_id = ? AND api = ?')
      .get(clientId, api) as Row | undefined
    return row === undefined ? undefined : toContract(row)
  }

  async putContract(contract: Contract): Promise<void> {
    this.#putContract(this.#live(), contract)
  }

  #putContract(db: DatabaseSync, c: Contract): void {
    db.prepare(
      `INSERT INTO partner_contracts (client_id, api, scopes, usage_plan, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (client_id, api) DO UPDATE SET scopes = excluded.scopes, usage_plan = excluded.usage_plan,
         status = excluded.status, updated_at = excluded.updated_at`,
    ).run(
      c.clientId,
      c.api,
      JSON.stringify(c.scopes),
      c.usagePlan ?? null,
      c.status,
      c.createdAt,
      c.updatedAt,
    )
  }

  async appendEvent(event: PartnerEvent): Promise<void> {
    this.#live()
      .prepare('INSERT INTO partner_events (at, client_id, kind, detail) VALUES (?, ?, ?, ?)')
      .run(event.at, event.clientId, event.kind, event.detail ?? null)
  }

  async listEvents(clientId?: string, limit = 100): Promise<readonly PartnerEvent[]> {
    const db = this.#live()
    const rows = (
      clientId === undefined
        ? db.prepare('SELECT * FROM partner_events ORDER BY id DESC LIMIT ?').all(limit)
        : db
            .prepare('SELECT * FROM partner_events WHERE client_id = ? ORDER BY id DESC LIMIT ?')
            .all(clientId, limit)
    ) as Row[]
    return rows.map((row) =>
      Object.freeze({
        at: Number(row.at),
        clientId: text(row, 'client_id'),
        kind: text(row, 'kind'),
        detail: optionalText(row, 'detail'),
      }),
    )
  }

  async reseal(): Promise<number> {
    const ids = (
      this.#live()
        .prepare('SELECT client_id FROM partner_clients WHERE secret_key_id <> ?')
        .all(this.#box.activeKeyId) as Row[]
    ).map((row) => text(row, 'client_id'))
    let count = 0
    for (const clientId of ids) {
      const secrets = await this.getSecrets(clientId)
      if (secrets === undefined) continue
      const sealed = this.#sealSecrets(clientId, secrets)
      this.#live()
        .prepare(
          'UPDATE partner_clients SET secret_key_id = ?, client_secret = ?, registration_access_token = ? WHERE client_id = ?',
        )
        .run(sealed.keyId, sealed.secret, sealed.token, clientId)
      count++
    }
    return count
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#db.close()
  }
}
