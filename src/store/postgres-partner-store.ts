import pg from 'pg'
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
import { migratePostgres, PARTNER_CHANNEL } from './postgres-migrations.ts'
import {
  aad,
  CLIENT_COLUMNS,
  type PartnerChange,
  type PostgresPartnerStoreOptions,
  sealClientSecrets,
} from './postgres-partner-shapes.ts'
import type { SecretBox } from './secret-box.ts'
import { optionalText, type Row, text, toClient, toContract, toPartner } from './sqlite-rows.ts'
import { StoreError } from './store-error.ts'

type Queryable = pg.Pool | pg.PoolClient

/**
 * The partner store on PostgreSQL, shared by every gateway instance. Rows are those of the
 * SQLite store (lists as JSON text, secrets sealed by the application before they leave it);
 * every change to a partner, its clients or their contracts bumps the partner's `version` and
 * NOTIFYs it in the same transaction, so other instances drop what they cached.
 */
export class PostgresPartnerStore implements PartnerStore {
  readonly #pool: pg.Pool
  readonly #box: SecretBox
  #closed = false

  private constructor(pool: pg.Pool, box: SecretBox) {
    this.#pool = pool
    this.#box = box
  }

  /** Connects, migrates and checks the keys: a wrong key fails here, not at the first read. */
  static async open(options: PostgresPartnerStoreOptions): Promise<PostgresPartnerStore> {
    const timeout = options.queryTimeoutMs ?? 2000
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: timeout,
      query_timeout: timeout,
      idleTimeoutMillis: 30_000,
    })
    pool.on('error', (error) => options.onError?.(error))
    const store = new PostgresPartnerStore(pool, options.secretBox)
    try {
      const client = await pool.connect()
      try {
        await migratePostgres(client)
      } finally {
        client.release()
      }
      await store.#checkKeys()
      if (options.usagePlans !== undefined)
        await store.#recordUsagePlans(options.usagePlans, (options.clock ?? Date.now)())
    } catch (error) {
      await pool.end().catch(() => {})
      throw error
    }
    return store
  }

  async #checkKeys(): Promise<void> {
    const { rows } = await this.#pool.query('SELECT DISTINCT secret_key_id FROM partner_clients')
    for (const row of rows as Row[]) {
      const keyId = text(row, 'secret_key_id')
      if (!this.#box.knows(keyId))
        throw new StoreError(
          'STORE_KEY_UNKNOWN',
          `partner secrets are sealed with key ${keyId}, which is not configured (wrong or missing encryption key)`,
        )
    }
  }

  async ping(): Promise<void> {
    await this.#live().query('SELECT 1')
  }

  #live(): pg.Pool {
    if (this.#closed) throw new StoreError('STORE_CLOSED', 'partner store is closed')
    return this.#pool
  }

  async #rows(sql: string, values: unknown[] = []): Promise<Row[]> {
    return (await this.#live().query(sql, values)).rows as Row[]
  }

  async #transaction<T>(work: (db: pg.PoolClient) => Promise<T>): Promise<T> {
    const db = await this.#live().connect()
    try {
      await db.query('BEGIN')
      const result = await work(db)
      await db.query('COMMIT')
      return result
    } catch (error) {
      await db.query('ROLLBACK').catch(() => {})
      throw error
    } finally {
      db.release()
    }
  }

  /** Bumps the partner's version and announces it; delivered to listeners when the caller commits. */
  async #changed(db: Queryable, partnerId: string, at?: number): Promise<void> {
    const { rows } = await db.query(
      `UPDATE partners SET version = nextval('partner_versions')${at === undefined ? '' : ', updated_at = $2'}
       WHERE partner_id = $1 RETURNING version`,
      at === undefined ? [partnerId] : [partnerId, at],
    )
    const version = rows[0]?.version
    if (version === undefined) return
    const change: PartnerChange = { partnerId, version: Number(version) }
    // NOTIFY payloads stop at 8000 bytes: a longer id is announced as "everything changed".
    const payload = JSON.stringify(change)
    await db.query('SELECT pg_notify($1, $2)', [PARTNER_CHANNEL, payload.length < 7000 ? payload : '*'])
  }

  async insertClient(
    client: PartnerClient,
    secrets: ClientSecrets,
    contracts: readonly Contract[],
  ): Promise<void> {
    const sealed = sealClientSecrets(this.#box, client.clientId, secrets)
    await this.#transaction(async (db) => {
      await db.query(
        `INSERT INTO partners (partner_id, status, created_at, updated_at) VALUES ($1, 'active', $2, $2)
         ON CONFLICT (partner_id) DO NOTHING`,
        [client.partnerId, client.createdAt],
      )
      const inserted = await db.query(
        `INSERT INTO partner_clients (${CLIENT_COLUMNS}, secret_key_id, client_secret, registration_access_token)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (client_id) DO NOTHING`,
        [
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
        ],
      )
      if (inserted.rowCount === 0) throw new StoreError('STORE_DUPLICATE', 'client already stored')
      for (const contract of contracts) await this.#putContract(db, contract)
      await this.#changed(db, client.partnerId)
    })
  }

  async getClient(clientId: string): Promise<PartnerClient | undefined> {
    const rows = await this.#rows(`SELECT ${CLIENT_COLUMNS} FROM partner_clients WHERE client_id = $1`, [
      clientId,
    ])
    return rows[0] === undefined ? undefined : toClient(rows[0])
  }

  async listClients(): Promise<readonly PartnerClient[]> {
    const rows = await this.#rows(
      `SELECT ${CLIENT_COLUMNS} FROM partner_clients ORDER BY created_at, client_id`,
    )
    return rows.map(toClient)
  }

  async getSecrets(clientId: string): Promise<ClientSecrets | undefined> {
    const rows = await this.#rows(
      'SELECT secret_key_id, client_secret, registration_access_token FROM partner_clients WHERE client_id = $1',
      [clientId],
    )
    const row = rows[0]
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
    return this.#transaction(async (db) => {
      const { rows } = await db.query(
        'UPDATE partner_clients SET status = $1, updated_at = $2 WHERE client_id = $3 RETURNING partner_id',
        [status, at, clientId],
      )
      if (rows[0] === undefined) return false
      await this.#changed(db, String(rows[0].partner_id))
      return true
    })
  }

  async getPartner(partnerId: string): Promise<Partner | undefined> {
    const rows = await this.#rows('SELECT * FROM partners WHERE partner_id = $1', [partnerId])
    return rows[0] === undefined ? undefined : toPartner(rows[0])
  }

  /** The partner's current version (bumped by every change to it, its clients or contracts). */
  async partnerVersion(partnerId: string): Promise<number | undefined> {
    const rows = await this.#rows('SELECT version FROM partners WHERE partner_id = $1', [partnerId])
    return rows[0] === undefined ? undefined : Number(rows[0].version)
  }

  /** The highest version of any partner: where a poll for changes starts. */
  async latestVersion(): Promise<number> {
    const rows = await this.#rows('SELECT COALESCE(MAX(version), 0) AS version FROM partners')
    return Number(rows[0]?.version ?? 0)
  }

  /** Partners changed after `version`, for the poll that backs up the notifications. */
  async changesSince(version: number): Promise<readonly PartnerChange[]> {
    const rows = await this.#rows(
      'SELECT partner_id, version FROM partners WHERE version > $1 ORDER BY version',
      [version],
    )
    return rows.map((row) => ({ partnerId: text(row, 'partner_id'), version: Number(row.version) }))
  }

  async setPartnerStatus(partnerId: string, status: PartnerStatus, at: number): Promise<boolean> {
    return this.#transaction(async (db) => {
      const { rowCount } = await db.query('UPDATE partners SET status = $1 WHERE partner_id = $2', [
        status,
        partnerId,
      ])
      if (rowCount === 0) return false
      await this.#changed(db, partnerId, at)
      return true
    })
  }

  async listClientsOf(partnerId: string): Promise<readonly PartnerClient[]> {
    const rows = await this.#rows(
      `SELECT ${CLIENT_COLUMNS} FROM partner_clients WHERE partner_id = $1 ORDER BY created_at, client_id`,
      [partnerId],
    )
    return rows.map(toClient)
  }

  async #recordUsagePlans(names: readonly string[], at: number): Promise<void> {
    await this.#pool.query(
      `INSERT INTO store_meta (key, value, updated_at) VALUES ('usage_plans', $1, $2)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [JSON.stringify([...names].sort()), at],
    )
  }

  async recordedUsagePlans(): Promise<readonly string[] | undefined> {
    const rows = await this.#rows("SELECT value FROM store_meta WHERE key = 'usage_plans'")
    return rows[0] === undefined ? undefined : Object.freeze(JSON.parse(text(rows[0], 'value')) as string[])
  }

  async deleteClient(clientId: string): Promise<boolean> {
    return this.#transaction(async (db) => {
      const { rows } = await db.query(
        'DELETE FROM partner_clients WHERE client_id = $1 RETURNING partner_id',
        [clientId],
      )
      if (rows[0] === undefined) return false
      await this.#changed(db, String(rows[0].partner_id))
      return true
    })
  }

  async listContracts(clientId: string): Promise<readonly Contract[]> {
    const rows = await this.#rows('SELECT * FROM partner_contracts WHERE client_id = $1 ORDER BY api', [
      clientId,
    ])
    return rows.map(toContract)
  }

  async getContract(clientId: string, api: string): Promise<Contract | undefined> {
    const rows = await this.#rows('SELECT * FROM partner_contracts WHERE client_id = $1 AND api = $2', [
      clientId,
      api,
    ])
    return rows[0] === undefined ? undefined : toContract(rows[0])
  }

  async putContract(contract: Contract): Promise<void> {
    await this.#transaction(async (db) => {
      await this.#putContract(db, contract)
      const { rows } = await db.query('SELECT partner_id FROM partner_clients WHERE client_id = $1', [
        contract.clientId,
      ])
      if (rows[0] !== undefined) await this.#changed(db, String(rows[0].partner_id))
    })
  }

  async #putContract(db: Queryable, c: Contract): Promise<void> {
    await db.query(
      `INSERT INTO partner_contracts (client_id, api, scopes, usage_plan, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (client_id, api) DO UPDATE SET scopes = excluded.scopes, usage_plan = excluded.usage_plan,
         status = excluded.status, updated_at = excluded.updated_at`,
      [c.clientId, c.api, JSON.stringify(c.scopes), c.usagePlan ?? null, c.status, c.createdAt, c.updatedAt],
    )
  }

  async appendEvent(event: PartnerEvent): Promise<void> {
    await this.#live().query(
      'INSERT INTO partner_events (at, client_id, kind, detail) VALUES ($1, $2, $3, $4)',
      [event.at, event.clientId, event.kind, event.detail ?? null],
    )
  }

  async listEvents(clientId?: string, limit = 100): Promise<readonly PartnerEvent[]> {
    const rows =
      clientId === undefined
        ? await this.#rows('SELECT * FROM partner_events ORDER BY id DESC LIMIT $1', [limit])
        : await this.#rows('SELECT * FROM partner_events WHERE client_id = $1 ORDER BY id DESC LIMIT $2', [
            clientId,
            limit,
          ])
    return rows.map((row) =>
      Object.freeze({
        at: Number(row.at),
        clientId: text(row, 'client_id'),
        kind: text(row, 'kind'),
        detail: optionalText(row, 'detail'),
      }),
    )
  }

  /** Copies a partner as it is elsewhere (status, times); false when it is already here. */
  async importPartner(partner: Partner): Promise<boolean> {
    const { rowCount } = await this.#live().query(
      `INSERT INTO partners (partner_id, status, created_at, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (partner_id) DO NOTHING`,
      [partner.partnerId, partner.status, partner.createdAt, partner.updatedAt],
    )
    return rowCount === 1
  }

  /** Copies an audit event unless the same one is already here, so an import can run again. */
  async importEvent(event: PartnerEvent): Promise<boolean> {
    const { rowCount } = await this.#live().query(
      `INSERT INTO partner_events (at, client_id, kind, detail)
       SELECT $1, $2, $3, $4 WHERE NOT EXISTS (
         SELECT 1 FROM partner_events WHERE at = $1 AND client_id = $2 AND kind = $3 AND detail IS NOT DISTINCT FROM $4)`,
      [event.at, event.clientId, event.kind, event.detail ?? null],
    )
    return rowCount === 1
  }

  async reseal(): Promise<number> {
    const ids = (
      await this.#rows('SELECT client_id FROM partner_clients WHERE secret_key_id <> $1', [
        this.#box.activeKeyId,
      ])
    ).map((row) => text(row, 'client_id'))
    let count = 0
    for (const clientId of ids) {
      const secrets = await this.getSecrets(clientId)
      if (secrets === undefined) continue
      const sealed = sealClientSecrets(this.#box, clientId, secrets)
      await this.#live().query(
        'UPDATE partner_clients SET secret_key_id = $1, client_secret = $2, registration_access_token = $3 WHERE client_id = $4',
        [sealed.keyId, sealed.secret, sealed.token, clientId],
      )
      count++
    }
    return count
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#pool.end()
  }
}
