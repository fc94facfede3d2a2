import { channel } from 'node:diagnostics_channel'
import { SingleFlight } from '../../cache/single-flight.ts'
import { type Clock, TtlLru } from '../../cache/ttl-lru.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import {
  IDENTITY_CACHE_CHANNEL,
  ORG_CALL_CHANNEL,
  type OrgCallFact,
} from '../../observability/metric-facts.ts'
import { stageSpan } from '../../observability/stage-span.ts'
import { tokenDigest } from '../jwt/verified-token-cache.ts'
import {
  type FactKind,
  type FactSource,
  factsFromClaims,
  type IdentityFacts,
  mergeFacts,
} from './identity-facts.ts'
import { callOrg, jsonObject, MAX_ORG_ANSWER_BYTES, type OrgAnswer, OrgCallError } from './org-call.ts'
import { isOrgId, isUserId, sameRecord } from './org-id.ts'
import type { Explain } from './types.ts'

/** The user's credential and what is already known of them. */
export interface FactsCredential {
  /** The user's access token: the identity URL and the query are asked as the user. */
  readonly token: string
  /** The org's My Domain URL. */
  readonly issuer: string
  readonly userId: string
  readonly orgId: string
  /** Claims of an ID token verified at sign-in (a browser session's), read before any call. */
  readonly idTokenClaims?: Readonly<Record<string, unknown>> | undefined
  /** Milliseconds since the epoch; facts are never kept beyond it. */
  readonly expiresAt: number | undefined
}

export interface IdentityFactsOptions {
  /** How long facts are kept, capped by the credential's expiry. */
  readonly ttlMs: number
  readonly maxEntries: number
  readonly timeoutMs: number
}

const IDENTITY_URL_KINDS: ReadonlySet<FactKind> = new Set([
  'userType',
  'customPermissions',
  'customAttributes',
])
const QUERY_KINDS: ReadonlySet<FactKind> = new Set(['profile', 'permissionSets', 'permissionSetGroups'])
const API_VERSION = '62.0'

type Asked = Exclude<FactSource, 'id_token'>
interface Entry {
  readonly facts: IdentityFacts
  readonly asked: ReadonlySet<Asked>
}

/**
 * Finds the facts a requirement reads, cheapest source first: the ID token's claims, then the
 * identity URL (user type, custom permissions and attributes), then, only for a profile,
 * permission sets or groups, one SOQL query on PermissionSetAssignment as the user. What a
 * token's facts are is kept per token digest, never beyond the token's expiry; each source is
 * asked at most once per entry, and concurrent first asks share one call.
 */
export class IdentityFactsResolver {
  readonly #fetch: typeof fetch
  readonly #clock: Clock
  readonly #options: IdentityFactsOptions
  readonly #cache: TtlLru<Entry>
  readonly #flight = new SingleFlight<IdentityFacts>()

  constructor(deps: { readonly fetch?: typeof fetch; readonly clock: Clock }, options: IdentityFactsOptions) {
    this.#fetch = deps.fetch ?? globalThis.fetch
    this.#clock = deps.clock
    this.#options = options
    this.#cache = new TtlLru(options.maxEntries, deps.clock)
  }

  async facts(
    credential: FactsCredential,
    kinds: readonly FactKind[],
    explain?: Explain,
  ): Promise<IdentityFacts> {
    if (!isUserId(credential.userId) || !isOrgId(credential.orgId)) return {}
    const key = tokenDigest(credential.token)
    const cached = this.#cache.get(key)
    let entry: Entry = cached ?? {
      facts:
        credential.idTokenClaims === undefined ? {} : factsFromClaims(credential.idTokenClaims, 'id_token'),
      asked: new Set(),
    }
    const wanted = (source: Asked, kindsOf: ReadonlySet<FactKind>) =>
      !entry.asked.has(source) && kinds.some((k) => kindsOf.has(k) && entry.facts[k] === undefined)
    const asked: Asked[] = []
    for (const [source, kindsOf] of [
      ['identity_url', IDENTITY_URL_KINDS],
      ['rest_query', QUERY_KINDS],
    ] as const) {
      if (!wanted(source, kindsOf)) continue
      const found = await this.#flight.run(`${key}:${source}`, () => this.#ask(source, credential, explain))
      entry = { facts: mergeFacts(entry.facts, found), asked: new Set([...entry.asked, source]) }
      asked.push(source)
    }
    explain?.({ step: 'identity facts', cached: cached !== undefined, asked })
    if (identityCacheFacts.hasSubscribers) identityCacheFacts.publish(cached === undefined ? 'miss' : 'hit')
    if (asked.length > 0 || cached === undefined) {
      const untilExpiry =
        credential.expiresAt === undefined ? Number.POSITIVE_INFINITY : credential.expiresAt - this.#clock()
      const ttl = Math.min(this.#options.ttlMs, untilExpiry)
      if (ttl > 0) this.#cache.set(key, entry, ttl)
    }
    return entry.facts
  }

  async #ask(
    source: Asked,
    credential: FactsCredential,
    explain: Explain | undefined,
  ): Promise<IdentityFacts> {
    const url =
      source === 'identity_url'
        ? new URL(`/id/${credential.orgId}/${credential.userId}`, credential.issuer)
        : queryUrl(credential)
    let answer: OrgAnswer
    try {
      answer = await stageSpan(`org call ${source}`, { 'forcegate.org_call.kind': source }, () =>
        callOrg(
          this.#fetch,
          url,
          {
            method: 'GET',
            headers: { authorization: `Bearer ${credential.token}`, accept: 'application/json' },
          },
          { timeoutMs: this.#options.timeoutMs, maxBytes: MAX_ORG_ANSWER_BYTES },
        ),
      )
    } catch (err) {
      if (!(err instanceof OrgCallError)) throw err
      countOrgCall(source, 'failed')
      throw new GatewayError('GW_IDP_UNAVAILABLE', {
        reason: `identity.${source}_unavailable`,
        detail: err.message,
      })
    }
    explain?.({ step: 'identity source', source, status: answer.status })
    countOrgCall(source, answer.status < 400 ? 'ok' : answer.status < 500 ? 'refused' : 'failed')
    if (answer.status === 401 || answer.status === 403) {
      if (source === 'identity_url' || answer.status === 401)
        throw new GatewayError('GW_TOKEN_INVALID', { reason: `identity.${source}_rejected` })
      // A user who may not read their assignments has none the gateway could rely on.
      return {}
    }
    if (answer.status >= 500)
      throw new GatewayError('GW_IDP_UNAVAILABLE', { reason: `identity.${source}_unavailable` })
    const body = answer.status === 200 ? jsonObject(answer.text) : undefined
    if (body === undefined) return {}
    if (source === 'identity_url') {
      const userId = body.user_id
      if (typeof userId !== 'string' || !sameRecord(userId, credential.userId)) return {}
      return factsFromClaims(body, 'identity_url')
    }
    return factsFromAssignments(body)
  }
}

function queryUrl(credential: FactsCredential): URL {
  const soql =
    'SELECT PermissionSet.Name, PermissionSet.IsOwnedByProfile, PermissionSet.Profile.Name, ' +
    `PermissionSetGroup.DeveloperName FROM PermissionSetAssignment WHERE AssigneeId = '${credential.userId}'`
  const url = new URL(`/services/data/v${API_VERSION}/query`, credential.issuer)
  url.searchParams.set('q', soql)
  return url
}

/** A profile's own permission set names the profile; group assignments name the group. */
function factsFromAssignments(body: Readonly<Record<string, unknown>>): IdentityFacts {
  if (!Array.isArray(body.records)) return {}
  let profile: string | undefined
  const sets: string[] = []
  const groups: string[] = []
  for (const record of body.records as unknown[]) {
    const set = field(record, 'PermissionSet')
    const group = field(record, 'PermissionSetGroup')
    const groupName = field(group, 'DeveloperName')
    if (typeof groupName === 'string') groups.push(groupName)
    else if (field(set, 'IsOwnedByProfile') === true) {
      const name = field(field(set, 'Profile'), 'Name')
      if (typeof name === 'string') profile = name
    } else {
      const name = field(set, 'Name')
      if (typeof name === 'string') sets.push(name)
    }
  }
  const source = 'rest_query' as const
  return {
    ...(profile === undefined ? {} : { profile: { value: profile, source } }),
    permissionSets: { value: sets, source },
    permissionSetGroups: { value: groups, source },
  }
}

function field(record: unknown, name: string): unknown {
  return typeof record === 'object' && record !== null ? (record as Record<string, unknown>)[name] : undefined
}

const orgCallFacts = channel(ORG_CALL_CHANNEL)
const identityCacheFacts = channel(IDENTITY_CACHE_CHANNEL)

function countOrgCall(kind: string, outcome: string): void {
  if (orgCallFacts.hasSubscribers) orgCallFacts.publish({ kind, outcome } satisfies OrgCallFact)
}
