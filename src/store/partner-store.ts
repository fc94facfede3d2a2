/**
 * Where partner client apps, their API contracts and the audit trail live. Methods are async
 * and speak plain records so that a PostgreSQL backend can implement the same interface; the
 * SQLite backend is the embedded default. Secrets cross this interface in plaintext and are
 * sealed by the backend before they reach storage.
 */

/** An `active` client may call APIs it holds active contracts for; `suspended` may not. */
export type ClientStatus = 'active' | 'suspended'

/** A suspended partner's clients are all refused, and it may not register or rotate clients. */
export type PartnerStatus = 'active' | 'suspended'

/**
 * The owner of client apps: the portal user who registered them, or the partner named at
 * registration by the CLI or the admin API. Suspension and usage are counted per partner, so a
 * new client id (another app, a rotation) escapes neither.
 */
export interface Partner {
  readonly partnerId: string
  readonly status: PartnerStatus
  readonly createdAt: number
  readonly updatedAt: number
}

/** `pending` contracts wait for approval; only `active` ones let calls through. */
export type ContractStatus = 'active' | 'pending' | 'suspended'

export interface PartnerClient {
  readonly clientId: string
  /** The owning partner. */
  readonly partnerId: string
  readonly name: string
  readonly redirectUris: readonly string[]
  readonly contact: string | undefined
  /** Scopes the org granted at registration (Salesforce's `scopes` array). */
  readonly grantedScopes: readonly string[]
  readonly status: ClientStatus
  /** RFC 7592 client configuration endpoint. */
  readonly registrationClientUri: string
  /** Seconds since the epoch, as the org reported them. */
  readonly clientIdIssuedAt: number | undefined
  /** Seconds since the epoch; 0 means the secret never expires. */
  readonly clientSecretExpiresAt: number | undefined
  /** The client this one replaced by rotation, if any. */
  readonly rotatedFrom: string | undefined
  /** Milliseconds since the epoch. */
  readonly createdAt: number
  readonly updatedAt: number
}

export interface ClientSecrets {
  readonly clientSecret: string | undefined
  readonly registrationAccessToken: string
}

export interface Contract {
  readonly clientId: string
  readonly api: string
  readonly scopes: readonly string[]
  readonly usagePlan: string | undefined
  readonly status: ContractStatus
  readonly createdAt: number
  readonly updatedAt: number
}

export interface PartnerEvent {
  readonly at: number
  readonly clientId: string
  /** e.g. `registered`, `suspended`, `rotated`, `org-delete-failed`. */
  readonly kind: string
  /** Human-readable detail; never a secret. */
  readonly detail: string | undefined
}

export interface PartnerStore {
  /**
   * Stores a client, its secrets and contracts atomically, creating its partner (active) when
   * new; a duplicate id is STORE_DUPLICATE.
   */
  insertClient(client: PartnerClient, secrets: ClientSecrets, contracts: readonly Contract[]): Promise<void>
  getClient(clientId: string): Promise<PartnerClient | undefined>
  /** Oldest first. */
  listClients(): Promise<readonly PartnerClient[]>
  /** Decrypts; throws StoreError when the value cannot be opened (never returns garbage). */
  getSecrets(clientId: string): Promise<ClientSecrets | undefined>
  /** Returns false when the client does not exist. */
  setClientStatus(clientId: string, status: ClientStatus, at: number): Promise<boolean>
  /** Removes the client and its contracts; events stay for the audit trail. */
  deleteClient(clientId: string): Promise<boolean>
  listContracts(clientId: string): Promise<readonly Contract[]>
  getContract(clientId: string, api: string): Promise<Contract | undefined>
  /** Inserts or replaces the contract for (clientId, api); the client must exist. */
  putContract(contract: Contract): Promise<void>
  getPartner(partnerId: string): Promise<Partner | undefined>
  /** Returns false when the partner does not exist. */
  setPartnerStatus(partnerId: string, status: PartnerStatus, at: number): Promise<boolean>
  /** The clients a partner owns, oldest first. */
  listClientsOf(partnerId: string): Promise<readonly PartnerClient[]>
  /**
   * The usage plans the gateway serving this store was last opened with (undefined before
   * any), so tools sharing the store (the partners CLI) refuse the plan names it would.
   */
  recordedUsagePlans(): Promise<readonly string[] | undefined>
  appendEvent(event: PartnerEvent): Promise<void>
  /** Newest first. */
  listEvents(clientId?: string, limit?: number): Promise<readonly PartnerEvent[]>
  /** Re-seals every secret with the active key; returns how many clients were re-sealed. */
  reseal(): Promise<number>
  /** Networked stores only: one round trip, rejecting while the store cannot answer (readiness). */
  ping?(): Promise<void>
  close(): Promise<void>
}
