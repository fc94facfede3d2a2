import assert from 'node:assert/strict'
import { createSalesforceEnforcer } from '../../../src/auth/salesforce/salesforce-enforcer.ts'
import type {
  ExplainStep,
  SalesforceEnforcer,
  SalesforceEnforcerConfig,
} from '../../../src/auth/salesforce/types.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { type FakeOrg, GATEWAY_CLIENT, ORG_ID } from './fake-org.ts'

/** An enforcer pointed at the fake org, with test-sized timeouts. */
export function enforcerFor(
  org: FakeOrg,
  clock: () => number,
  overrides: Partial<SalesforceEnforcerConfig> = {},
): SalesforceEnforcer {
  return createSalesforceEnforcer(
    {
      id: 'orders',
      org: { issuer: org.issuer, orgId: ORG_ID, introspection: GATEWAY_CLIENT },
      accept: ['jwt', 'opaque'],
      requiredScopes: [],
      scopeMode: 'all',
      cache: { ttlSeconds: 300, negativeTtlSeconds: 10 },
      failure: { retryAfterSeconds: 7 },
      timeoutMs: 300,
      ...overrides,
    },
    { fetch, clock },
  )
}

export async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const err = await promise.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  )
  assert.ok(err instanceof GatewayError, `expected a GatewayError, got ${String(err)}`)
  return err
}

export function recorder(): { steps: ExplainStep[]; explain: (step: ExplainStep) => void } {
  const steps: ExplainStep[] = []
  return { steps, explain: (step) => steps.push(step) }
}

export const bearer = (token: string): string[] => [`Bearer ${token}`]
