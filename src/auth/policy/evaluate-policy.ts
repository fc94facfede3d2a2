import type { CompiledPolicy, CompiledStatement } from './compile-policy.ts'
import type { ConditionContext } from './policy-condition.ts'

export type PolicyDecision =
  | { readonly effect: 'allow'; readonly statementIndex: number }
  | { readonly effect: 'deny'; readonly reason: 'explicit'; readonly statementIndex: number }
  | { readonly effect: 'deny'; readonly reason: 'implicit' }

/** A statement whose action and resource matched, and whose Condition then decided. */
export interface ConditionCheck {
  readonly statementIndex: number
  readonly effect: 'Allow' | 'Deny'
  /** The statement applies only when every operator and key is satisfied. */
  readonly satisfied: boolean
  /** The first key that failed, or every key when all were satisfied. */
  readonly keys: readonly {
    readonly operator: string
    readonly key: string
    readonly satisfied: boolean
    /** False when forcegate never fills the key in, so IAM's absent-key rule answered. */
    readonly inRequest: boolean
  }[]
}

function checkCondition(statement: CompiledStatement, ctx: ConditionContext): ConditionCheck {
  const keys: ConditionCheck['keys'][number][] = []
  for (const part of statement.conditionParts) {
    const satisfied = part.test(ctx)
    const entry = { operator: part.operator, key: part.key, satisfied, inRequest: part.populated }
    if (!satisfied) {
      return { statementIndex: statement.index, effect: statement.effect, satisfied, keys: [entry] }
    }
    keys.push(entry)
  }
  return { statementIndex: statement.index, effect: statement.effect, satisfied: true, keys }
}

function applies(
  statement: CompiledStatement,
  arn: string,
  ctx: ConditionContext,
  onCondition: ((check: ConditionCheck) => void) | undefined,
): boolean {
  if (!statement.coversInvoke) return false
  const hit = statement.resources.some((pattern) => pattern.matches(arn))
  if (hit === statement.resourcesNegated) return false
  if (statement.condition === undefined) return true
  if (onCondition === undefined) return statement.condition(ctx)
  const check = checkCondition(statement, ctx)
  onCondition(check)
  return check.satisfied
}

/**
 * IAM evaluation of one request ARN: an applicable Deny wins over any Allow, an applicable
 * Allow allows, and silence denies. Runs against the request's own methodArn on every
 * request, cached policy or not. `onCondition` hears each Condition that had the last word
 * on whether its statement applied (for `explain`).
 */
export function evaluatePolicy(
  policy: CompiledPolicy,
  arn: string,
  ctx: ConditionContext = {},
  onCondition?: (check: ConditionCheck) => void,
): PolicyDecision {
  let allowedBy = -1
  for (const statement of policy.statements) {
    if (!applies(statement, arn, ctx, onCondition)) continue
    if (statement.effect === 'Deny')
      return { effect: 'deny', reason: 'explicit', statementIndex: statement.index }
    if (allowedBy === -1) allowedBy = statement.index
  }
  return allowedBy === -1
    ? { effect: 'deny', reason: 'implicit' }
    : { effect: 'allow', statementIndex: allowedBy }
}
