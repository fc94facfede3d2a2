import { hasControlCharacter } from './control-characters.ts'
import { PartnerError } from './partner-error.ts'

export interface ContractInput {
  readonly api: string
  readonly scopes: readonly string[]
  readonly usagePlan?: string | undefined
}

export interface RegistrationInput {
  readonly name: string
  readonly redirectUris: readonly string[]
  readonly contracts: readonly ContractInput[]
  readonly contact?: string | undefined
  /** The owning partner; the name when absent. */
  readonly partnerId?: string | undefined
}

/** A registration after checking: the partner is always known. */
export interface CheckedRegistration extends RegistrationInput {
  readonly partnerId: string
}

const API_NAME = /^[A-Za-z0-9._-]{1,100}$/
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/
const invalid = (field: string, message: string) =>
  new PartnerError('PARTNER_INVALID_INPUT', `${field}: ${message}`, field)

function stringArray(value: unknown, field: string): string[] {
  if (!Array.isArray(value)) throw invalid(field, 'expected an array of strings')
  return value.map((item, i) => {
    if (typeof item !== 'string') throw invalid(`${field}[${i}]`, 'expected a string')
    return item
  })
}

/** Names are display data shown to admins (terminals, pages), so control characters are refused. */
function displayName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 200)
    throw invalid(field, 'expected a non-empty string of at most 200 characters')
  if (hasControlCharacter(value)) throw invalid(field, 'must not contain control characters')
  return value.trim()
}

/** The message for a plan name that is not configured, naming the plans that are. */
export function unknownPlanMessage(plan: string, knownPlans: ReadonlySet<string>): string {
  const known = [...knownPlans].sort()
  return `unknown usage plan ${JSON.stringify(plan)}; ${
    known.length === 0 ? 'no usage plans are configured' : `configured plans: ${known.join(', ')}`
  }`
}

/**
 * Checks a registration request from any front end (admin API JSON, CLI flags, the portal)
 * and returns a clean copy. `knownPlans` (when given) is the set of usage plans contracts may
 * name.
 */
export function parseRegistrationInput(
  input: unknown,
  knownPlans?: ReadonlySet<string>,
): CheckedRegistration {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw invalid('body', 'expected an object')
  const raw = input as Record<string, unknown>
  const name = displayName(raw.name, 'name')
  const partnerId = raw.partnerId === undefined ? name : displayName(raw.partnerId, 'partnerId')
  const redirectUris = stringArray(raw.redirectUris, 'redirectUris')
  redirectUris.forEach((uri, i) => {
    // They are printed to admins' terminals and pages; the org would get them verbatim.
    if (hasControlCharacter(uri)) throw invalid(`redirectUris[${i}]`, 'must not contain control characters')
  })
  if (
    raw.contact !== undefined &&
    (typeof raw.contact !== 'string' || !/^[^\s@]{1,200}@[^\s@]{1,200}$/.test(raw.contact))
  )
    throw invalid('contact', 'expected an email address')
  if (!Array.isArray(raw.contracts) || raw.contracts.length === 0)
    throw invalid('contracts', 'expected at least one contract')
  const seen = new Set<string>()
  const contracts = raw.contracts.map(
    (item: unknown, i): ContractInput => parseContract(item, `contracts[${i}]`, seen, knownPlans),
  )
  return {
    name,
    partnerId,
    redirectUris,
    contracts,
    ...(typeof raw.contact === 'string' ? { contact: raw.contact } : {}),
  }
}

function parseContract(
  item: unknown,
  field: string,
  seen: Set<string>,
  knownPlans: ReadonlySet<string> | undefined,
): ContractInput {
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    throw invalid(field, 'expected an object')
  const c = item as Record<string, unknown>
  if (typeof c.api !== 'string' || !API_NAME.test(c.api))
    throw invalid(`${field}.api`, 'expected 1-100 letters, digits, . _ -')
  if (seen.has(c.api)) throw invalid(`${field}.api`, `duplicate contract for ${c.api}`)
  seen.add(c.api)
  const scopes = c.scopes === undefined ? [] : stringArray(c.scopes, `${field}.scopes`)
  scopes.forEach((s, j) => {
    if (!SCOPE.test(s)) throw invalid(`${field}.scopes[${j}]`, 'expected a scope token (no spaces or quotes)')
  })
  if (c.usagePlan !== undefined) {
    if (typeof c.usagePlan !== 'string') throw invalid(`${field}.usagePlan`, 'expected a string')
    if (knownPlans !== undefined && !knownPlans.has(c.usagePlan))
      throw invalid(`${field}.usagePlan`, unknownPlanMessage(c.usagePlan, knownPlans))
  }
  return { api: c.api, scopes: [...new Set(scopes)], usagePlan: c.usagePlan as string | undefined }
}
