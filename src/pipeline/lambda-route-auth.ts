import { channel } from 'node:diagnostics_channel'
import { performance } from 'node:perf_hooks'
import { createTrail } from '../auth/lambda-authorizer/authorizer-trail.ts'
import type { AuthorizerDecision, LambdaAuthorizer } from '../auth/lambda-authorizer/lambda-authorizer.ts'
import type { LambdaInvoker } from '../aws/lambda-invoker.ts'
import type { AuthorizedIdentity } from '../dialect/authorizer-context.ts'
import { isGatewayError } from '../errors/gateway-error.ts'
import type { RequestView } from '../events/request-view.ts'
import { AUTHORIZER_CHANNEL, type AuthorizerFact } from '../observability/metric-facts.ts'
import { stageSpan } from '../observability/stage-span.ts'
import type { AuthCall, AuthOutcome, Principal, RouteAuth } from './types.ts'

const NO_CHECKS: RouteAuth['checks'] = Object.freeze([])
const NO_HEADERS: AuthOutcome['identityHeaders'] = Object.freeze([])
const decisions = channel(AUTHORIZER_CHANNEL)

/**
 * A route guarded by a Lambda authorizer: one adapter that authenticates and authorizes (the
 * function returns the principal and the policy together). The shared authorizer (and its
 * cache) serves many routes; `shape` is the integration's `requestContext.authorizer` form.
 * The authorizer's decision is the principal: a cached allow allocates nothing more.
 */
export function lambdaRouteAuth(
  authorizer: LambdaAuthorizer,
  description: string,
  shape: (identity: AuthorizedIdentity) => Record<string, unknown>,
): RouteAuth {
  const facts = knownFacts(authorizer.id)
  return {
    description,
    trustedHeaderNames: new Set(),
    authenticate(call) {
      if (call.explain !== undefined) return explained(authorizer, call)
      if (!decisions.hasSubscribers) return authorizer.decide(call.view, undefined)
      return counted(authorizer, call.view, facts)
    },
    checks: NO_CHECKS,
    enrich(principal) {
      const decision = principal as AuthorizerDecision
      return {
        principalId: decision.principalId,
        authorizerContext: shape(decision),
        identityHeaders: NO_HEADERS,
        usageIdentifierKey: decision.usageIdentifierKey,
      }
    },
  }
}

/** With someone listening, the authorizer records its trail, published whatever the outcome. */
async function explained(authorizer: LambdaAuthorizer, call: AuthCall): Promise<Principal> {
  const trail = createTrail(authorizer.id)
  try {
    return await authorizer.authorize(call.view, { trail })
  } finally {
    call.explain?.({ step: 'authorizer', ...trail })
    if (decisions.hasSubscribers)
      decisions.publish({
        authorizer: authorizer.id,
        cache: trail.cache ?? 'none',
        outcome: trail.outcome ?? 'error',
        latencyMs: trail.invoked ? trail.latencyMs : undefined,
      } satisfies AuthorizerFact)
  }
}

/** The facts a decision made without invoking can be: built once per authorizer, published as they are. */
function knownFacts(id: string) {
  const fact = (cache: string, outcome: string): AuthorizerFact =>
    Object.freeze({ authorizer: id, cache, outcome, latencyMs: undefined })
  return {
    hitAllow: fact('hit', 'allow'),
    hitDeny: fact('hit', 'deny'),
    identityMissing: fact('none', 'unauthorized'),
    refusedBefore: fact('none', 'error'),
  }
}

/**
 * Metrics listen: the decision, as fast as `decide` alone. What returns or throws without a
 * promise was decided before invoking: a refusal of the identity sources (401) or the ARN, or
 * the cached result; only an invocation is awaited and timed.
 */
function counted(
  authorizer: LambdaAuthorizer,
  view: RequestView,
  facts: ReturnType<typeof knownFacts>,
): Principal | Promise<Principal> {
  let decided: ReturnType<LambdaAuthorizer['decide']>
  try {
    decided = authorizer.decide(view, undefined)
  } catch (err) {
    const code = isGatewayError(err) ? err.code : undefined
    decisions.publish(
      code === 'GW_IDENTITY_MISSING'
        ? facts.identityMissing
        : code === 'GW_AUTHORIZER_ARN_TOO_LONG'
          ? facts.refusedBefore
          : facts.hitDeny,
    )
    throw err
  }
  if (!(decided instanceof Promise)) {
    decisions.publish(facts.hitAllow)
    return decided
  }
  return invoked(authorizer, decided, performance.now())
}

async function invoked(
  authorizer: LambdaAuthorizer,
  pending: Promise<AuthorizerDecision>,
  started: number,
): Promise<Principal> {
  const miss = authorizer.caches ? 'miss' : 'off'
  let fact: AuthorizerFact
  try {
    const decision = await pending
    // A result another request was already loading: waited on, not invoked for this one.
    fact = decision.fromCache
      ? { authorizer: authorizer.id, cache: 'joined', outcome: 'allow', latencyMs: undefined }
      : { authorizer: authorizer.id, cache: miss, outcome: 'allow', latencyMs: performance.now() - started }
    return decision
  } catch (err) {
    const status = isGatewayError(err) ? err.status : 500
    fact = {
      authorizer: authorizer.id,
      cache: miss,
      outcome: status === 401 ? 'unauthorized' : status === 403 ? 'deny' : 'error',
      latencyMs: performance.now() - started,
    }
    throw err
  } finally {
    decisions.publish(fact!)
  }
}

/**
 * The invoke function an authorizer needs, over the shared Lambda invoker; a traced request's
 * invocation is a span the function runs under.
 */
export function invokeByName(invoker: LambdaInvoker, arns: ReadonlyMap<string, string>) {
  return (functionName: string, event: unknown, timeoutMs: number, requestId?: string): Promise<unknown> =>
    stageSpan(`invoke ${functionName}`, { 'faas.invoked_name': functionName }, () =>
      invoker.invoke(
        { name: functionName, arn: arns.get(functionName) ?? functionName },
        event,
        timeoutMs,
        requestId === undefined ? undefined : { requestId },
      ),
    )
}
