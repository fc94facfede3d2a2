/**
 * What the gateway knows of who a Salesforce user is, for authorization by identity: the user
 * type, profile, permission sets, permission-set groups, custom permissions and the connected
 * app's custom attributes, each with where it came from. A fact nobody reported stays absent,
 * and an absent fact never satisfies a requirement (fail closed).
 */

export type FactKind =
  | 'userType'
  | 'profile'
  | 'permissionSets'
  | 'permissionSetGroups'
  | 'customPermissions'
  | 'customAttributes'

/** In order of cost: claims the app includes, then the identity URL, then a query as the user. */
export type FactSource = 'id_token' | 'identity_url' | 'rest_query'

export interface Fact<T> {
  readonly value: T
  readonly source: FactSource
}

export interface IdentityFacts {
  readonly userType?: Fact<string>
  readonly profile?: Fact<string>
  readonly permissionSets?: Fact<readonly string[]>
  readonly permissionSetGroups?: Fact<readonly string[]>
  /** The custom permissions reported true; those reported false or not at all are not held. */
  readonly customPermissions?: Fact<readonly string[]>
  readonly customAttributes?: Fact<Readonly<Record<string, string>>>
}

/** Facts a claims document (ID token, identity URL, userinfo) states, tagged with `source`. */
export function factsFromClaims(
  claims: Readonly<Record<string, unknown>>,
  source: FactSource,
): IdentityFacts {
  const facts: { -readonly [K in keyof IdentityFacts]: IdentityFacts[K] } = {}
  if (typeof claims.user_type === 'string' && claims.user_type !== '') {
    facts.userType = { value: claims.user_type, source }
  }
  const permissions = claims.custom_permissions
  if (isRecord(permissions)) {
    const held = Object.entries(permissions)
      .filter(([, v]) => v === true || v === 'true')
      .map(([k]) => k)
    facts.customPermissions = { value: held, source }
  }
  const attributes = claims.custom_attributes
  if (isRecord(attributes)) {
    const strings: Record<string, string> = {}
    for (const [k, v] of Object.entries(attributes)) if (typeof v === 'string') strings[k] = v
    facts.customAttributes = { value: strings, source }
  }
  return facts
}

/** Earlier facts win: they came from a cheaper source and agree with the later ones. */
export function mergeFacts(first: IdentityFacts, then: IdentityFacts): IdentityFacts {
  return { ...then, ...stripUndefined(first) }
}

function stripUndefined(facts: IdentityFacts): IdentityFacts {
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)) as IdentityFacts
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The facts for the trail: each value with its source; attribute values are shown, they are not secrets. */
export function describeFacts(facts: IdentityFacts): Record<string, { value: unknown; source: FactSource }> {
  const out: Record<string, { value: unknown; source: FactSource }> = {}
  for (const [kind, fact] of Object.entries(facts) as [FactKind, Fact<unknown> | undefined][]) {
    if (fact !== undefined) out[kind] = { value: fact.value, source: fact.source }
  }
  return out
}
