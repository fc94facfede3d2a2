import type { SQLInputValue } from 'node:sqlite'
import type {
  ClientStatus,
  Contract,
  ContractStatus,
  Partner,
  PartnerClient,
  PartnerStatus,
} from './partner-store.ts'

/** Row <-> record mapping of the SQLite partner tables; lists are stored as JSON arrays. */
export type Row = Record<string, SQLInputValue>

export function text(row: Row, column: string): string {
  return String(row[column])
}

export function optionalText(row: Row, column: string): string | undefined {
  const value = row[column]
  return value === null || value === undefined ? undefined : String(value)
}

function optionalNumber(row: Row, column: string): number | undefined {
  const value = row[column]
  return value === null || value === undefined ? undefined : Number(value)
}

function list(row: Row, column: string): readonly string[] {
  return Object.freeze(JSON.parse(text(row, column)) as string[])
}

export function toClient(row: Row): PartnerClient {
  return Object.freeze({
    clientId: text(row, 'client_id'),
    partnerId: text(row, 'partner_id'),
    name: text(row, 'name'),
    redirectUris: list(row, 'redirect_uris'),
    contact: optionalText(row, 'contact'),
    grantedScopes: list(row, 'granted_scopes'),
    status: text(row, 'status') as ClientStatus,
    registrationClientUri: text(row, 'registration_client_uri'),
    clientIdIssuedAt: optionalNumber(row, 'client_id_issued_at'),
    clientSecretExpiresAt: optionalNumber(row, 'client_secret_expires_at'),
    rotatedFrom: optionalText(row, 'rotated_from'),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  })
}

export function toContract(row: Row): Contract {
  return Object.freeze({
    clientId: text(row, 'client_id'),
    api: text(row, 'api'),
    scopes: list(row, 'scopes'),
    usagePlan: optionalText(row, 'usage_plan'),
    status: text(row, 'status') as ContractStatus,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  })
}

export function toPartner(row: Row): Partner {
  return Object.freeze({
    partnerId: text(row, 'partner_id'),
    status: text(row, 'status') as PartnerStatus,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  })
}
