import type { FactKind, IdentityFacts } from './identity-facts.ts'

/**
 * Who may call a route, in Salesforce's own terms (`require:` of `x-forcegate-salesforce` or
 * `x-forcegate-session`). Every kind named must hold; within a kind, `anyOf` needs one of
 * the names and `allOf` every one.
 */
export interface NameRequirement {
  readonly anyOf: readonly string[]
  readonly allOf: readonly string[]
}

export interface IdentityRequirement {
  readonly userType?: readonly string[]
  readonly profile?: readonly string[]
  readonly permissionSets?: NameRequirement
  readonly permissionSetGroups?: NameRequirement
  readonly customPermissions?: NameRequirement
  /** Each attribute must be one of the listed values. */
  readonly customAttributes?: Readonly<Record<string, readonly string[]>>
}

export type RequirementOutcome =
  | { readonly allowed: true }
  | {
      readonly allowed: false
      readonly kind: FactKind
      /** What is missing, e.g. `permissionSets: Blog_Moderator` or `customPermissions (not reported)`. */
      readonly missing: string
    }

/** The kinds a requirement reads, so that only the sources able to report them are asked. */
export function requiredKinds(requirement: IdentityRequirement): FactKind[] {
  return (Object.keys(requirement) as FactKind[]).filter((k) => requirement[k] !== undefined)
}

/** Decides a requirement on the facts; the first unmet kind is reported. */
export function evaluateRequirement(
  requirement: IdentityRequirement,
  facts: IdentityFacts,
): RequirementOutcome {
  for (const kind of requiredKinds(requirement)) {
    const fact = facts[kind]
    if (fact === undefined) return { allowed: false, kind, missing: `${kind} (not reported)` }
    const missing = unmet(kind, requirement, fact.value)
    if (missing !== undefined) return { allowed: false, kind, missing: `${kind}: ${missing}` }
  }
  return { allowed: true }
}

function unmet(kind: FactKind, requirement: IdentityRequirement, value: unknown): string | undefined {
  switch (kind) {
    case 'userType':
    case 'profile': {
      const allowed = requirement[kind]!
      return allowed.includes(value as string) ? undefined : `${String(value)} is not ${allowed.join(' | ')}`
    }
    case 'customAttributes': {
      const held = value as Readonly<Record<string, string>>
      for (const [name, values] of Object.entries(requirement.customAttributes!)) {
        const v = Object.hasOwn(held, name) ? held[name] : undefined
        if (v === undefined) return `${name} (not reported)`
        if (!values.includes(v)) return `${name} is not ${values.join(' | ')}`
      }
      return undefined
    }
    default: {
      const names = requirement[kind] as NameRequirement
      const held = new Set(value as readonly string[])
      const lacking = names.allOf.filter((n) => !held.has(n))
      if (lacking.length > 0) return lacking.join(' & ')
      if (names.anyOf.length > 0 && !names.anyOf.some((n) => held.has(n))) return names.anyOf.join(' | ')
      return undefined
    }
  }
}
