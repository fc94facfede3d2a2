import { hash } from 'node:crypto'
import type { ConditionCheck } from '../policy/evaluate-policy.ts'

/**
 * What one authorization did, for `forcegate explain` and debug logs. Identity values appear
 * only as short hashes: enough to tell two tokens apart, never the token.
 */
export interface AuthorizerTrail {
  readonly authorizerId: string
  arn: string | undefined
  identity: { readonly expression: string; readonly present: boolean; readonly sha256?: string }[]
  cache: 'off' | 'hit' | 'miss' | 'joined' | undefined
  invoked: boolean
  latencyMs: number | undefined
  outcome: 'allow' | 'deny' | 'unauthorized' | 'error' | undefined
  reason: string | undefined
  statementIndex: number | undefined
  /** Statements whose Condition decided whether they applied, in evaluation order. */
  conditions: ConditionCheck[]
}

export function createTrail(authorizerId: string): AuthorizerTrail {
  return {
    authorizerId,
    arn: undefined,
    identity: [],
    cache: undefined,
    invoked: false,
    latencyMs: undefined,
    outcome: undefined,
    reason: undefined,
    statementIndex: undefined,
    conditions: [],
  }
}

export function fingerprint(untrustedValue: string): string {
  return hash('sha256', untrustedValue, 'hex').slice(0, 16)
}

/** One line per step, for the pipeline's string trail and `forcegate explain`. */
export function formatTrail(trail: AuthorizerTrail): string[] {
  const lines = [`authorizer '${trail.authorizerId}'${trail.arn === undefined ? '' : ` for ${trail.arn}`}`]
  for (const id of trail.identity) {
    lines.push(`identity ${id.expression}: ${id.present ? `sha256 ${id.sha256}` : 'missing'}`)
  }
  if (trail.cache !== undefined) lines.push(`cache ${trail.cache}`)
  if (trail.invoked) lines.push(`invoked${trail.latencyMs === undefined ? '' : ` in ${trail.latencyMs} ms`}`)
  for (const c of trail.conditions) {
    const keys = c.keys.map((k) => `${k.operator} ${k.key} ${k.satisfied ? 'satisfied' : 'not satisfied'}`)
    lines.push(
      `Statement[${c.statementIndex}] (${c.effect}) ${c.satisfied ? 'applies' : 'does not apply'}: Condition ${keys.join(', ')}`,
    )
  }
  if (trail.statementIndex !== undefined) lines.push(`decided by Statement[${trail.statementIndex}]`)
  if (trail.outcome !== undefined) {
    lines.push(trail.reason === undefined ? trail.outcome : `${trail.outcome} (${trail.reason})`)
  }
  return lines
}
