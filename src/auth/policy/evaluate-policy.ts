import type { CompiledPolicy, CompiledStatement } from './compile-policy.ts'
import type { ConditionContext } from './policy-condition.ts'

export type PolicyDecision =
  | { readonly effect: 'allow'; readonly statementIndex: number }
  | { readonly effect: 'deny'; readonly reason: 'explicit'; readonly statementIndex: number }
  | { readonly effect: 'deny'; readonly reason: 'implicit' }

function applies(statement: CompiledStatement, arn: string, ctx: ConditionContext): boolean {
  if (!statement.coversInvoke) return false
  const hit = statement.resources.some((pattern) => pattern.matches(arn))
  if (hit === statement.resourcesNegated) return false
  return statement.condition === undefined || statement.condition(ctx)
}

/**
 * IAM evaluation of one request ARN: an applicable Deny wins over any Allow, an applicable
 * Allow allows, and silence denies. Runs against the request's own methodArn on every
 * request, cached policy or not.
 */
export function evaluatePolicy(
  policy: CompiledPolicy,
  arn: string,
  ctx: ConditionContext = {},
): PolicyDecision {
  let allowedBy = -1
  for (const statement of policy.statements) {
    if (!applies(statement, arn, ctx)) continue
    if (statement.effect === 'Deny')
      return { effect: 'deny', reason: 'explicit', statementIndex: statement.index }
    if (allowedBy === -1) allowedBy = statement.index
  }
  return allowedBy === -1
    ? { effect: 'deny', reason: 'implicit' }
    : { effect: 'allow', statementIndex: allowedBy }
}
