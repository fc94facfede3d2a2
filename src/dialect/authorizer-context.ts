/**
 * `requestContext.authorizer` as the integration's Lambda event carries it, per API and
 * payload format. Pure builders; the dialect picks one per route at compile time.
 */
export interface AuthorizedIdentity {
  readonly principalId?: string | undefined
  readonly context: Readonly<Record<string, unknown>>
  /** Milliseconds the authorizer ran; 0 when the result came from the cache [inferred]. */
  readonly integrationLatency: number
}

/** REST proxy: `principalId`, `integrationLatency` and each context key (already strings). */
export function restAuthorizerContext(identity: AuthorizedIdentity): Record<string, unknown> {
  return {
    ...identity.context,
    principalId: identity.principalId ?? '',
    integrationLatency: identity.integrationLatency,
  }
}

/** HTTP API payload 2.0 integration: the authorizer's context, unchanged, under `lambda`. */
export function httpV2AuthorizerContext(identity: AuthorizedIdentity): Record<string, unknown> {
  return { lambda: { ...identity.context } }
}

/** HTTP API payload 1.0 integration: a flat map like REST's [inferred; AWS shows no example]. */
export function httpV1AuthorizerContext(identity: AuthorizedIdentity): Record<string, unknown> {
  const out: Record<string, unknown> = { ...identity.context }
  if (identity.principalId !== undefined) out.principalId = identity.principalId
  out.integrationLatency = identity.integrationLatency
  return out
}
