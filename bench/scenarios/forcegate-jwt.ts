/**
 * forcegate: an HTTP API guarded by a JWT authorizer (issuer = the bench upstream, which serves
 * discovery and JWKS on loopback) in front of the http_proxy integration. Three ways to call it:
 * one token (every request a verified-token cache hit), a new token on every request (the
 * list is larger than the cache, so every request is verified), and 10,000 distinct tokens
 * that all stay cached.
 */
import { apiDocument, httpProxy, jwtAuthorizerScheme, startForcegate } from '../lib/forcegate.ts'
import type { BenchContext, Scenario, Started } from '../lib/scenario.ts'
import { AUDIENCE } from '../lib/tokens.ts'

function startJwt(ctx: BenchContext, name: string): Promise<Started> {
  const route = httpProxy(`${ctx.upstreamUrl}/{proxy}`)
  const op = route['x-amazon-apigateway-any-method']
  return startForcegate(
    ctx,
    name,
    apiDocument(
      'bench jwt',
      { '/{proxy+}': { 'x-amazon-apigateway-any-method': { ...op, security: [{ jwt: [] }] } } },
      { http: true, schemes: { jwt: jwtAuthorizerScheme(ctx.identity.issuer, AUDIENCE) } },
    ),
  )
}

export const forcegateJwtCached: Scenario = {
  id: 'fg-jwt-cached',
  label: 'forcegate JWT authorizer, one token (cache hit)',
  kind: 'forcegate',
  path: '/api/items',
  start: (ctx) => startJwt(ctx, 'jwt-cached'),
}

export const forcegateJwtVerify: Scenario = {
  id: 'fg-jwt-verify',
  label: 'forcegate JWT authorizer, new token each request (verified)',
  kind: 'forcegate',
  path: '/api/items',
  rotate: 'all',
  start: (ctx) => startJwt(ctx, 'jwt-verify'),
}

export const forcegateJwt10k: Scenario = {
  id: 'fg-jwt-10k',
  label: 'forcegate JWT authorizer, 10,000 cached identities',
  kind: 'forcegate',
  path: '/api/items',
  rotate: 10_000,
  warmupSeconds: 6,
  start: (ctx) => startJwt(ctx, 'jwt-10k'),
}
