import type { Clock } from '../cache/ttl-lru.ts'
import type {
  ClientSecrets,
  Contract,
  ContractStatus,
  PartnerClient,
  PartnerStatus,
  PartnerStore,
} from '../store/partner-store.ts'
import { ContractCache, type ContractDecision } from './contract-cache.ts'
import type { DcrClient, RegisteredClient } from './dcr-client.ts'
import { isDcrError } from './dcr-error.ts'
import { PartnerError } from './partner-error.ts'
import {
  credentialsOf,
  type DeletionResult,
  type PartnerSummary,
  type PartnerView,
  type RegistrationResult,
  type RotationResult,
} from './partner-results.ts'
import {
  type CheckedRegistration,
  parseRegistrationInput,
  type RegistrationInput,
  unknownPlanMessage,
} from './registration-input.ts'
import { type SelfServiceOffer, selfServiceTerms } from './self-service.ts'

export type { ContractDecision } from './contract-cache.ts'
export type {
  DeletionResult,
  PartnerCredentials,
  PartnerSummary,
  PartnerView,
  RegistrationResult,
  RotationResult,
} from './partner-results.ts'

/** The org operations the service needs; `DcrClient` implements them. */
export type OrgRegistrar = Pick<DcrClient, 'register' | 'delete'>

export interface PartnerServiceOptions {
  readonly store: PartnerStore
  readonly registrar: OrgRegistrar
  readonly clock?: Clock
  /** Usage plan names contracts may refer to; when absent any name is accepted. */
  readonly usagePlanNames?: ReadonlySet<string>
  readonly defaultScopes?: readonly string[]
  readonly contractApproval?: 'auto' | 'manual'
  readonly contractCacheTtlMs?: number
  readonly contractCacheMaxEntries?: number
  /** A cache built by the caller, which shared stores also drop entries of; else one of the options above. */
  readonly contractCache?: ContractCache
}

export interface RegisterOptions {
  /** Self-service (the portal): contracts limited to these offers, plans and statuses from them. */
  readonly selfService?: readonly SelfServiceOffer[]
}

/**
 * Partner onboarding: registers client apps at the org by dynamic client registration, keeps
 * them with their contracts, and answers the enforcer's "which contract does this client hold
 * for this API". Every change is written to the audit trail and drops the cached answer.
 */
export class PartnerService {
  readonly #store: PartnerStore
  readonly #registrar: OrgRegistrar
  readonly #clock: Clock
  readonly #options: PartnerServiceOptions
  readonly #cache: ContractCache

  constructor(options: PartnerServiceOptions) {
    this.#store = options.store
    this.#registrar = options.registrar
    this.#clock = options.clock ?? Date.now
    this.#options = options
    this.#cache =
      options.contractCache ??
      new ContractCache(options.store, {
        ttlMs: options.contractCacheTtlMs ?? 30_000,
        maxEntries: options.contractCacheMaxEntries ?? 10_000,
        clock: this.#clock,
      })
  }

  /**
   * Registers a client for a partner (created on first use). A suspended partner registers
   * nothing. Contracts start `active`, or `pending` with manual approval; self-service
   * registrations take plan and status from their offers instead.
   */
  async register(input: RegistrationInput, options: RegisterOptions = {}): Promise<RegistrationResult> {
    const request = parseRegistrationInput(input, this.#options.usagePlanNames)
    const manual = this.#options.contractApproval === 'manual'
    const terms =
      options.selfService === undefined
        ? request.contracts.map((c) => ({
            usagePlan: c.usagePlan,
            status: (manual ? 'pending' : 'active') as ContractStatus,
          }))
        : selfServiceTerms(request.contracts, options.selfService, manual)
    await this.#requireActivePartner(request.partnerId)
    const scopes = new Set([
      ...(this.#options.defaultScopes ?? []),
      ...request.contracts.flatMap((c) => c.scopes),
    ])
    const registered = await this.#registrar.register({
      clientName: request.name,
      redirectUris: request.redirectUris,
      scopes: [...scopes],
      ...(request.contact === undefined ? {} : { contacts: [request.contact] }),
    })
    const now = this.#clock()
    const contracts = request.contracts.map(
      (c, i): Contract => ({
        clientId: registered.clientId,
        api: c.api,
        scopes: c.scopes,
        usagePlan: terms[i]!.usagePlan,
        status: terms[i]!.status,
        createdAt: now,
        updatedAt: now,
      }),
    )
    const client = this.#clientRecord(registered, request, undefined, now)
    await this.#storeOrUndo(registered, client, contracts)
    await this.#event(
      client.clientId,
      'registered',
      `partner ${request.partnerId}; contracts: ${contracts.map((c) => c.api).join(', ')}`,
    )
    return { partner: await this.show(client.clientId), credentials: credentialsOf(registered) }
  }

  async list(): Promise<readonly PartnerView[]> {
    return Promise.all((await this.#store.listClients()).map((c) => this.#view(c)))
  }

  async show(clientId: string): Promise<PartnerView> {
    return this.#view(await this.#require(clientId))
  }

  /** Suspends the partner owning the client: every client of that partner, present and future. */
  async suspend(clientId: string): Promise<PartnerView> {
    const client = await this.#require(clientId)
    await this.#setPartnerStatus(client.partnerId, 'suspended', clientId)
    return this.show(clientId)
  }

  /** Resumes the partner owning the client. */
  async resume(clientId: string): Promise<PartnerView> {
    const client = await this.#require(clientId)
    await this.#setPartnerStatus(client.partnerId, 'active', clientId)
    return this.show(clientId)
  }

  async showPartner(partnerId: string): Promise<PartnerSummary> {
    const partner = await this.#store.getPartner(partnerId)
    if (partner === undefined) throw new PartnerError('PARTNER_NOT_FOUND', `no partner ${partnerId}`)
    const clients = await this.#store.listClientsOf(partnerId)
    return {
      partnerId,
      status: partner.status,
      clients: await Promise.all(clients.map((c) => this.#view(c))),
    }
  }

  async suspendPartner(partnerId: string): Promise<PartnerSummary> {
    await this.#setPartnerStatus(partnerId, 'suspended', undefined)
    return this.showPartner(partnerId)
  }

  async resumePartner(partnerId: string): Promise<PartnerSummary> {
    await this.#setPartnerStatus(partnerId, 'active', undefined)
    return this.showPartner(partnerId)
  }

  /**
   * Activates a pending contract. `usagePlan` (a configured plan) replaces the contract's
   * plan; without it the contract keeps the plan it has, if any.
   */
  async approveContract(clientId: string, api: string, usagePlan?: string): Promise<PartnerView> {
    await this.#require(clientId)
    const known = this.#options.usagePlanNames
    if (usagePlan !== undefined && known !== undefined && !known.has(usagePlan))
      throw new PartnerError(
        'PARTNER_INVALID_INPUT',
        `usagePlan: ${unknownPlanMessage(usagePlan, known)}`,
        'usagePlan',
      )
    const contract = await this.#store.getContract(clientId, api)
    if (contract === undefined)
      throw new PartnerError('PARTNER_CONTRACT_NOT_FOUND', `client ${clientId} has no contract for ${api}`)
    await this.#store.putContract({
      ...contract,
      status: 'active',
      usagePlan: usagePlan ?? contract.usagePlan,
      updatedAt: this.#clock(),
    })
    this.#cache.invalidate(clientId)
    await this.#event(
      clientId,
      'contract-approved',
      `${api}; plan: ${usagePlan ?? contract.usagePlan ?? 'none'}`,
    )
    return this.show(clientId)
  }

  /**
   * Deletes the client at the org (RFC 7592 DELETE), then locally. When the org refuses or
   * cannot be reached nothing local changes and the error is thrown, unless `force` is set:
   * then the local record goes anyway (for a client the org has already forgotten).
   */
  async delete(clientId: string, options: { force?: boolean } = {}): Promise<DeletionResult> {
    const client = await this.#require(clientId)
    const secrets = await this.#secretsOf(clientId)
    let removedAtOrg = true
    try {
      await this.#registrar.delete(client.registrationClientUri, secrets.registrationAccessToken)
    } catch (error) {
      const code = isDcrError(error) ? error.code : 'unknown'
      if (options.force !== true) {
        await this.#event(clientId, 'org-delete-failed', code)
        throw error
      }
      removedAtOrg = false
      await this.#event(clientId, 'org-delete-failed-forced', code)
    }
    await this.#store.deleteClient(clientId)
    this.#cache.invalidate(clientId)
    await this.#event(clientId, 'deleted', removedAtOrg ? 'at the org and locally' : 'locally only')
    return { clientId, removedAtOrg }
  }

  /**
   * Rotation by re-registration: RFC 7592 defines no secret rotation and a PUT that keeps the
   * secret is allowed, so the only portable way to a new secret is a new client. The new client
   * gets the old one's name, redirect URIs, contracts and status, and then the old client is
   * deleted at the org, which also ends its tokens. The client id changes; partners must update
   * both values. If the org refuses to delete the old client, it stays stored but suspended.
   */
  async rotate(clientId: string): Promise<RotationResult> {
    const old = await this.#require(clientId)
    // New credentials for a suspended partner would be a way back in.
    await this.#requireActivePartner(old.partnerId)
    const oldSecrets = await this.#secretsOf(clientId)
    const oldContracts = await this.#store.listContracts(clientId)
    const scopes = new Set([...(this.#options.defaultScopes ?? []), ...oldContracts.flatMap((c) => c.scopes)])
    const registered = await this.#registrar.register({
      clientName: old.name,
      redirectUris: old.redirectUris,
      scopes: [...scopes],
      ...(old.contact === undefined ? {} : { contacts: [old.contact] }),
    })
    const now = this.#clock()
    const request = {
      name: old.name,
      partnerId: old.partnerId,
      redirectUris: old.redirectUris,
      contact: old.contact,
    }
    const client = { ...this.#clientRecord(registered, request, clientId, now), status: old.status }
    const contracts = oldContracts.map((c) => ({
      ...c,
      clientId: registered.clientId,
      createdAt: now,
      updatedAt: now,
    }))
    await this.#storeOrUndo(registered, client, contracts)
    await this.#event(client.clientId, 'rotated', `replaces ${clientId}`)

    let previousClientRemoved = true
    try {
      await this.#registrar.delete(old.registrationClientUri, oldSecrets.registrationAccessToken)
      await this.#store.deleteClient(clientId)
      await this.#event(clientId, 'deleted', `rotated to ${client.clientId}`)
    } catch (error) {
      previousClientRemoved = false
      await this.#store.setClientStatus(clientId, 'suspended', now)
      await this.#event(clientId, 'org-delete-failed', isDcrError(error) ? error.code : 'unknown')
    }
    this.#cache.invalidate(clientId)
    this.#cache.invalidate(client.clientId)
    return {
      partner: await this.show(client.clientId),
      credentials: credentialsOf(registered),
      previousClientId: clientId,
      previousClientRemoved,
    }
  }

  /** The enforcer's question, answered from memory after the first call per client. */
  contractFor(clientId: string, api: string): Promise<ContractDecision> {
    return this.#cache.decide(clientId, api)
  }

  async #require(clientId: string): Promise<PartnerClient> {
    const client = await this.#store.getClient(clientId)
    if (client === undefined) throw new PartnerError('PARTNER_NOT_FOUND', `no partner client ${clientId}`)
    return client
  }

  async #secretsOf(clientId: string): Promise<ClientSecrets> {
    const secrets = await this.#store.getSecrets(clientId)
    if (secrets === undefined) throw new PartnerError('PARTNER_NOT_FOUND', `no partner client ${clientId}`)
    return secrets
  }

  async #requireActivePartner(partnerId: string): Promise<void> {
    const partner = await this.#store.getPartner(partnerId)
    if (partner?.status === 'suspended')
      throw new PartnerError('PARTNER_SUSPENDED', `partner ${partnerId} is suspended`)
  }

  async #view(client: PartnerClient): Promise<PartnerView> {
    const partner = await this.#store.getPartner(client.partnerId)
    const partnerStatus = partner?.status ?? 'active'
    return {
      ...client,
      status: partnerStatus === 'suspended' ? 'suspended' : client.status,
      partnerStatus,
      contracts: await this.#store.listContracts(client.clientId),
    }
  }

  async #setPartnerStatus(partnerId: string, status: PartnerStatus, via: string | undefined) {
    if (!(await this.#store.setPartnerStatus(partnerId, status, this.#clock())))
      throw new PartnerError('PARTNER_NOT_FOUND', `no partner ${partnerId}`)
    const kind = status === 'active' ? 'partner-resumed' : 'partner-suspended'
    for (const client of await this.#store.listClientsOf(partnerId)) {
      this.#cache.invalidate(client.clientId)
      const detail = `partner ${partnerId}${via === undefined || via === client.clientId ? '' : ` (through ${via})`}`
      await this.#event(client.clientId, kind, detail)
    }
  }

  #clientRecord(
    registered: RegisteredClient,
    request: Pick<CheckedRegistration, 'name' | 'partnerId' | 'redirectUris' | 'contact'>,
    rotatedFrom: string | undefined,
    now: number,
  ): PartnerClient {
    return {
      clientId: registered.clientId,
      partnerId: request.partnerId,
      name: request.name,
      redirectUris: registered.redirectUris.length > 0 ? registered.redirectUris : request.redirectUris,
      contact: request.contact,
      grantedScopes: registered.grantedScopes,
      status: 'active',
      registrationClientUri: registered.registrationClientUri,
      clientIdIssuedAt: registered.clientIdIssuedAt,
      clientSecretExpiresAt: registered.clientSecretExpiresAt,
      rotatedFrom,
      createdAt: now,
      updatedAt: now,
    }
  }

  /** A client the org knows but the store could not keep is deleted again, so none is orphaned. */
  async #storeOrUndo(registered: RegisteredClient, client: PartnerClient, contracts: readonly Contract[]) {
    const secrets = {
      clientSecret: registered.clientSecret,
      registrationAccessToken: registered.registrationAccessToken,
    }
    try {
      await this.#store.insertClient(client, secrets, contracts)
    } catch (error) {
      await this.#registrar
        .delete(registered.registrationClientUri, registered.registrationAccessToken)
        .catch(() => undefined)
      throw error
    }
    this.#cache.invalidate(client.clientId)
  }

  async #event(clientId: string, kind: string, detail: string | undefined): Promise<void> {
    await this.#store.appendEvent({ at: this.#clock(), clientId, kind, detail })
  }
}
