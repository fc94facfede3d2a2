/**
 * The diagnostics channels the gateway's metrics listen on, and what each carries. Publishers
 * sit above observability (auth, integrations, the relay) or beside it, so they name the
 * channel rather than import it, and publish only while it has subscribers: with metrics off a
 * fact costs one `hasSubscribers` read.
 */

/** A Lambda authorizer's decision for one request: `AuthorizerFact`. */
export const AUTHORIZER_CHANNEL = 'forcegate:authorizer'

export interface AuthorizerFact {
  readonly authorizer: string
  /** hit, miss, joined (waited on another request's invocation), off (not cached), none (refused before). */
  readonly cache: string
  /** allow, deny, unauthorized, error. */
  readonly outcome: string
  /** Set when the function was invoked for this request. */
  readonly latencyMs: number | undefined
}

/** A Salesforce identity cache lookup: the result as a string (hit, miss, negative_hit, joined). */
export const IDENTITY_CACHE_CHANNEL = 'forcegate:identity-cache'

/** One call to a Salesforce org, each attempt of a retried call counted: `OrgCallFact`. */
export const ORG_CALL_CHANNEL = 'forcegate:org-call'

export interface OrgCallFact {
  /** introspection, userinfo, identity_url, rest_query; the write integration's operation. */
  readonly kind: string
  /** ok, refused (a 4xx), failed (5xx, no answer), retried (a transient answer tried again). */
  readonly outcome: string
}

/** A platform event at the relay: `RelayFact`. */
export const RELAY_CHANNEL = 'forcegate:relay'

export interface RelayFact {
  readonly subscription: string
  /** received, delivered, retried, dead_lettered. */
  readonly outcome: string
}
