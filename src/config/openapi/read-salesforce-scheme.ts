import { ConfigError, ConfigErrors } from '../../errors/config-error.ts'
import { describe, isObject, type JsonObject } from '../field-reader.ts'
import { childPointer } from '../source-document.ts'
import type { SecuritySchemeSpec } from './api-definition.ts'
import { type IdentityRequirementSpec, readIdentityRequirement } from './read-identity-requirement.ts'

export const SALESFORCE_EXTENSION = 'x-forcegate-salesforce'

export type CredentialKind = 'jwt' | 'opaque' | 'session'

/** A route protected by Salesforce as the authorization server (forcegate's extension). */
export interface SalesforceSchemeSpec {
  readonly schemeName: string
  /** Name of an org under `salesforce.orgs` in forcegate.yaml. */
  readonly org: string
  readonly accept: readonly CredentialKind[]
  readonly scopeMatch: 'all' | 'any'
  /** Whether the token's client must hold an active contract for `api`. */
  readonly contract: boolean
  /** The API's id in partner contracts. */
  readonly api: string
  readonly cacheTtlSeconds: number
  readonly negativeCacheTtlSeconds: number
  /** Who may call, by Salesforce identity (user type, profile, permission sets, …). */
  readonly require: IdentityRequirementSpec | undefined
  readonly pointer: string
}

const KINDS: readonly CredentialKind[] = ['jwt', 'opaque', 'session']

export function hasSalesforceExtension(scheme: SecuritySchemeSpec): boolean {
  return scheme.raw[SALESFORCE_EXTENSION] !== undefined
}

/**
 * Reads `x-forcegate-salesforce`, which sits beside AWS's own extensions on an `oauth2` (or
 * `http` bearer) security scheme:
 *
 *     x-forcegate-salesforce:
 *       org: devorg                 # forcegate.yaml salesforce.orgs.<name>
 *       accept: [jwt, opaque]       # credential kinds; default all three
 *       scopeMatch: all             # the operation's scopes: all (default) or any
 *       contract: required          # required (default) | none
 *       api: order-status           # contract id; default: the document title as a slug
 *       cacheTtlSeconds: 300        # positive decisions, never beyond the token's exp
 *       negativeCacheTtlSeconds: 10
 *       require: { userType: [STANDARD] }   # read-identity-requirement.ts
 */
export function readSalesforceScheme(
  file: string,
  scheme: SecuritySchemeSpec,
  apiTitle: string,
  knownOrgs: ReadonlySet<string>,
  lineOf: (pointer: string) => number | undefined,
): SalesforceSchemeSpec {
  const base = childPointer(scheme.pointer, SALESFORCE_EXTENSION)
  // Every problem of the scheme is collected, and reported together at the end.
  const errors: ConfigError[] = []
  const fail = (key: string, expected: string): undefined => {
    const pointer = key === '' ? base : childPointer(base, key)
    errors.push(new ConfigError(file, pointer, expected, lineOf(pointer)))
    return undefined
  }
  const ext = scheme.raw[SALESFORCE_EXTENSION]
  if (!isObject(ext)) {
    fail('', `expected an object, found ${describe(ext)}`)
    throw errors[0]
  }
  const o = ext as JsonObject
  for (const key of Object.keys(o)) {
    if (
      ![
        'org',
        'accept',
        'scopeMatch',
        'contract',
        'api',
        'cacheTtlSeconds',
        'negativeCacheTtlSeconds',
        'require',
      ].includes(key)
    ) {
      fail(
        key,
        'is not a known setting (org, accept, scopeMatch, contract, api, cacheTtlSeconds, negativeCacheTtlSeconds, require)',
      )
    }
  }
  const org =
    typeof o.org === 'string'
      ? o.org
      : fail(
          'org',
          `expected the name of an org under salesforce.orgs in forcegate.yaml${o.org === undefined ? '' : `, found ${describe(o.org)}`}`,
        )
  if (org !== undefined && !knownOrgs.has(org)) {
    fail(
      'org',
      `org '${org}' is not defined under salesforce.orgs in forcegate.yaml${knownOrgs.size > 0 ? ` (known: ${[...knownOrgs].join(', ')})` : ''}`,
    )
  }
  const accept = o.accept ?? KINDS
  if (
    !Array.isArray(accept) ||
    accept.length === 0 ||
    !accept.every((k) => KINDS.includes(k as CredentialKind))
  ) {
    fail('accept', 'expected a non-empty list of jwt, opaque, session')
  }
  const scopeMatch = o.scopeMatch ?? 'all'
  if (scopeMatch !== 'all' && scopeMatch !== 'any') fail('scopeMatch', 'expected all or any')
  const contract = o.contract ?? 'required'
  if (contract !== 'required' && contract !== 'none') fail('contract', 'expected required or none')
  const api = o.api ?? slug(apiTitle)
  if (typeof api !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(api))
    fail('api', 'expected a lower-case id (letters, digits, dashes)')
  const seconds = (key: string, fallback: number, max: number): number => {
    const v = o[key] ?? fallback
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
      fail(key, `expected an integer from 0 to ${max}, found ${describe(v)}`)
      return fallback
    }
    return v
  }
  const cacheTtlSeconds = seconds('cacheTtlSeconds', 300, 3600)
  const negativeCacheTtlSeconds = seconds('negativeCacheTtlSeconds', 10, 300)
  const require = readIdentityRequirement(o.require, (path, expected) => {
    const pointer = path.reduce<string>(childPointer, base)
    errors.push(new ConfigError(file, pointer, expected, lineOf(pointer)))
  })
  if (errors.length === 1) throw errors[0]
  if (errors.length > 1) throw new ConfigErrors(errors)
  return {
    schemeName: scheme.name,
    org: org as string,
    accept: accept as CredentialKind[],
    scopeMatch: scopeMatch as 'all' | 'any',
    contract: contract === 'required',
    api: api as string,
    cacheTtlSeconds,
    negativeCacheTtlSeconds,
    require,
    pointer: base,
  }
}

function slug(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63) || 'api'
  )
}
