import { compileGlob, type GlobPattern } from './glob-pattern.ts'
import { type ConditionMatcher, type ConditionPart, compileCondition } from './policy-condition.ts'

/** The one action an authorizer policy is ever asked about; IAM compares actions case-insensitively. */
const INVOKE_ACTION = 'execute-api:invoke'

/** API Gateway's limit on a statement's `Resource` ARN. */
export const MAX_RESOURCE_LENGTH = 512

const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
])
const VERSIONS = new Set(['2012-10-17', '2008-10-17'])

export interface CompiledStatement {
  /** Position in the document's `Statement` list, for `explain`. */
  readonly index: number
  readonly effect: 'Allow' | 'Deny'
  /** Whether `Action`/`NotAction` covers `execute-api:Invoke`; decided once at compile time. */
  readonly coversInvoke: boolean
  readonly resources: readonly GlobPattern[]
  /** `NotResource`: the statement applies to ARNs that match none of `resources`. */
  readonly resourcesNegated: boolean
  readonly condition: ConditionMatcher | undefined
  /** The condition's operators and keys one by one, for `explain`; empty without a Condition. */
  readonly conditionParts: readonly ConditionPart[]
}

export interface CompiledPolicy {
  readonly statements: readonly CompiledStatement[]
}

export type PolicyCompileResult =
  | { readonly ok: true; readonly policy: CompiledPolicy }
  | { readonly ok: false; readonly reason: 'policy.malformed'; readonly detail: string }

class Malformed extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function stringList(value: unknown, where: string): string[] {
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string')) {
    throw new Malformed(`${where} must be a string or a non-empty array of strings`)
  }
  return list as string[]
}

function compileStatement(untrusted: unknown, index: number): CompiledStatement {
  const where = `Statement[${index}]`
  if (!isRecord(untrusted)) throw new Malformed(`${where} must be an object`)
  for (const key of Object.keys(untrusted)) {
    if (!STATEMENT_KEYS.has(key)) throw new Malformed(`${where} has an unsupported element ${key}`)
  }
  const { Effect, Action, NotAction, Resource, NotResource, Condition, Sid } = untrusted
  if (Effect !== 'Allow' && Effect !== 'Deny') throw new Malformed(`${where}.Effect must be Allow or Deny`)
  if (Sid !== undefined && typeof Sid !== 'string') throw new Malformed(`${where}.Sid must be a string`)
  if ((Action === undefined) === (NotAction === undefined)) {
    throw new Malformed(`${where} needs exactly one of Action and NotAction`)
  }
  if ((Resource === undefined) === (NotResource === undefined)) {
    throw new Malformed(`${where} needs exactly one of Resource and NotResource`)
  }
  const actionsNegated = Action === undefined
  const actions = stringList(
    actionsNegated ? NotAction : Action,
    `${where}.${actionsNegated ? 'NotAction' : 'Action'}`,
  )
  const resourcesNegated = Resource === undefined
  const resourceKey = resourcesNegated ? 'NotResource' : 'Resource'
  const resources = stringList(resourcesNegated ? NotResource : Resource, `${where}.${resourceKey}`)
  for (const resource of resources) {
    if (resource.length > MAX_RESOURCE_LENGTH) {
      throw new Malformed(`${where}.${resourceKey} is longer than ${MAX_RESOURCE_LENGTH} characters`)
    }
  }
  const actionHit = actions.some((a) => compileGlob(a.toLowerCase()).matches(INVOKE_ACTION))
  let condition: ConditionMatcher | undefined
  let conditionParts: readonly ConditionPart[] = []
  if (Condition !== undefined) {
    const compiled = compileCondition(Condition)
    if (!compiled.ok) throw new Malformed(`${where}.${compiled.detail}`)
    condition = compiled.matcher
    conditionParts = compiled.parts
  }
  return {
    index,
    effect: Effect,
    coversInvoke: actionHit !== actionsNegated,
    resources: resources.map(compileGlob),
    resourcesNegated,
    condition,
    conditionParts,
  }
}

/**
 * Validates an authorizer's `policyDocument` and compiles it into matchers, once per
 * authorizer result (the compiled form is what the result cache keeps). A document API
 * Gateway could not parse is reported as malformed, which the caller answers with a 500.
 */
export function compilePolicy(untrustedDocument: unknown): PolicyCompileResult {
  try {
    if (!isRecord(untrustedDocument)) throw new Malformed('policyDocument must be an object')
    const { Version, Statement } = untrustedDocument
    if (Version !== undefined && (typeof Version !== 'string' || !VERSIONS.has(Version))) {
      throw new Malformed('policyDocument.Version must be 2012-10-17')
    }
    if (Statement === undefined) throw new Malformed('policyDocument.Statement is missing')
    const list = Array.isArray(Statement) ? Statement : [Statement]
    return { ok: true, policy: { statements: list.map(compileStatement) } }
  } catch (err) {
    if (err instanceof Malformed) return { ok: false, reason: 'policy.malformed', detail: err.message }
    throw err
  }
}
