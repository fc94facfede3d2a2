import type { ClientSecrets } from './partner-store.ts'
import type { SecretBox } from './secret-box.ts'

/** What the PostgreSQL partner store is opened with, and the shapes it shares with its feed. */

export interface PostgresPartnerStoreOptions {
  readonly url: string
  readonly secretBox: SecretBox
  /** The gateway's configured usage plans, recorded at open for the tools sharing the store. */
  readonly usagePlans?: readonly string[]
  readonly clock?: () => number
  /** Longest wait for a connection or a query, so an unreachable server never holds a request. */
  readonly queryTimeoutMs?: number
  readonly maxConnections?: number
  /** A pooled connection failing while idle (the server restarting): logged, never thrown. */
  readonly onError?: (error: Error) => void
}

/** One partner changed: its new version, announced to every instance at commit. */
export interface PartnerChange {
  readonly partnerId: string
  readonly version: number
}

export const aad = (clientId: string, field: string) => `partner_clients:${clientId}:${field}`

export const CLIENT_COLUMNS = `client_id, partner_id, name, redirect_uris, contact, granted_scopes, status, registration_client_uri,
  client_id_issued_at, client_secret_expires_at, rotated_from, created_at, updated_at`

/** A client's secrets sealed for its row, bound to the client id and column they belong to. */
export function sealClientSecrets(box: SecretBox, clientId: string, secrets: ClientSecrets) {
  const token = box.seal(secrets.registrationAccessToken, aad(clientId, 'registration_access_token'))
  const secret =
    secrets.clientSecret === undefined ? null : box.seal(secrets.clientSecret, aad(clientId, 'client_secret'))
  return {
    keyId: token.keyId,
    token: Buffer.from(token.data),
    secret: secret === null ? null : Buffer.from(secret.data),
  }
}
