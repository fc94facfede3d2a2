import type { Contract } from '../store/partner-store.ts'
import { terminalSafe as safe } from './control-characters.ts'
import type { PartnerCredentials, PartnerView } from './partner-service.ts'

/**
 * Plain-text renderings of partners for terminals; `--json` output bypasses these. Every
 * stored value goes through `safe`: what the org answered or an older store holds may carry
 * control characters.
 */

function contractLine(c: Contract): string {
  const scopes = c.scopes.length > 0 ? c.scopes.join(' ') : '(none)'
  return safe(`${c.api} [${c.status}] scopes: ${scopes}; plan: ${c.usagePlan ?? '(none)'}`)
}

const iso = (ms: number) => new Date(ms).toISOString()

export function partnerDetails(p: PartnerView): string {
  const lines = [
    `client_id:      ${safe(p.clientId)}`,
    `name:           ${safe(p.name)}`,
    `partner:        ${safe(p.partnerId)} (${p.partnerStatus})`,
    `status:         ${p.status}`,
    `redirect URIs:  ${p.redirectUris.map(safe).join(', ')}`,
    `granted scopes: ${safe(p.grantedScopes.join(' ')) || '(none)'}`,
  ]
  if (p.contact !== undefined) lines.push(`contact:        ${safe(p.contact)}`)
  if (p.rotatedFrom !== undefined) lines.push(`rotated from:   ${safe(p.rotatedFrom)}`)
  lines.push(`created:        ${iso(p.createdAt)}`, `updated:        ${iso(p.updatedAt)}`, 'contracts:')
  for (const c of p.contracts) lines.push(`  ${contractLine(c)}`)
  return `${lines.join('\n')}\n`
}

export function credentialsText(c: PartnerCredentials): string {
  const expiry =
    c.clientSecretExpiresAt === undefined || c.clientSecretExpiresAt === 0
      ? 'never expires'
      : `expires ${new Date(c.clientSecretExpiresAt * 1000).toISOString()}`
  return [
    `client_id:     ${safe(c.clientId)}`,
    `client_secret: ${safe(c.clientSecret ?? '(none issued)')}`,
    `               shown only now (${expiry}); hand both to the partner over a secure channel`,
    '',
  ].join('\n')
}

export function partnerTable(partners: readonly PartnerView[]): string {
  if (partners.length === 0) return 'No partner clients.\n'
  const rows = partners.map((p) => [
    safe(p.clientId),
    p.status,
    safe(p.partnerId),
    safe(p.name),
    safe(p.contracts.map((c) => `${c.api}${c.status === 'active' ? '' : ` (${c.status})`}`).join(', ')),
  ])
  const header = ['CLIENT ID', 'STATUS', 'PARTNER', 'NAME', 'CONTRACTS']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return `${[header, ...rows].map(line).join('\n')}\n`
}
