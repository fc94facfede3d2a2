import type { Contract, PartnerClient, PartnerStatus } from '../store/partner-store.ts'
import type { RegisteredClient } from './dcr-client.ts'

/** What the partner service answers: views of clients and partners, never a stored secret. */

/**
 * A client as shown to admins: never a secret. `status` is what the gateway enforces (the
 * client's own, or suspended with its partner); `partnerStatus` is the partner's.
 */
export interface PartnerView extends PartnerClient {
  readonly contracts: readonly Contract[]
  readonly partnerStatus: PartnerStatus
}

/** A partner and every client it owns. */
export interface PartnerSummary {
  readonly partnerId: string
  readonly status: PartnerStatus
  readonly clients: readonly PartnerView[]
}

/** Shown once, at registration or rotation; never stored in plaintext or shown again. */
export interface PartnerCredentials {
  readonly clientId: string
  readonly clientSecret: string | undefined
  readonly clientSecretExpiresAt: number | undefined
}

export interface RegistrationResult {
  readonly partner: PartnerView
  readonly credentials: PartnerCredentials
}

export interface RotationResult extends RegistrationResult {
  readonly previousClientId: string
  /** False when the org refused to delete the old client: it stays stored, suspended, for a retry. */
  readonly previousClientRemoved: boolean
}

export interface DeletionResult {
  readonly clientId: string
  /** False only with `force`, when the org refused and the client was removed locally anyway. */
  readonly removedAtOrg: boolean
}

export function credentialsOf(registered: RegisteredClient): PartnerCredentials {
  return {
    clientId: registered.clientId,
    clientSecret: registered.clientSecret,
    clientSecretExpiresAt: registered.clientSecretExpiresAt,
  }
}
