import { sha256 } from '../../lib/digest.ts'
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
  return sha256(untrustedValue, 'hex').slice(0, 16)
}
