import { parseFetchableUrl } from './fetchable-url.ts'
import { JwksCache, type JwksCacheDeps } from './jwks-cache.ts'
import type { JwksCacheOptions, JwtAlgorithm, JwtIssuerConfig } from './types.ts'
import { SUPPORTED_ALGORITHMS } from './types.ts'

/** A trusted issuer, checked once at construction; the request path only reads it. */
export interface RegisteredIssuer {
  readonly issuer: string
  readonly audience: ReadonlySet<string> | null
  readonly algorithms: ReadonlySet<JwtAlgorithm>
  readonly requiredTokenType: string | undefined
  readonly jwks: JwksCache
}

export const MAX_AUDIENCES = 50

/**
 * Validates the issuer list and builds one key cache per issuer. Mistakes surface here as
 * `TypeError`s at start-up, not as puzzling 401s later.
 */
export function buildIssuerRegistry(
  issuers: readonly JwtIssuerConfig[],
  deps: JwksCacheDeps,
  jwksOptions: JwksCacheOptions | undefined,
): ReadonlyMap<string, RegisteredIssuer> {
  if (issuers.length === 0) throw new TypeError('at least one issuer is required')
  const registry = new Map<string, RegisteredIssuer>()
  for (const config of issuers) {
    const where = `issuer ${JSON.stringify(config.issuer)}`
    if (registry.has(config.issuer)) throw new TypeError(`${where} is listed twice`)
    const url = parseFetchableUrl(config.issuer, where)
    if (url.search !== '' || url.hash !== '') throw new TypeError(`${where} must have no query or fragment`)
    registry.set(config.issuer, {
      issuer: config.issuer,
      audience: checkedAudience(config.audience, where),
      algorithms: checkedAlgorithms(config.algorithms, where),
      requiredTokenType: checkedTokenType(config.requiredTokenType, where),
      jwks: new JwksCache(config.issuer, config.jwksUri, deps, jwksOptions),
    })
  }
  return registry
}

function checkedAudience(
  audience: readonly string[] | null | undefined,
  where: string,
): ReadonlySet<string> | null {
  // `undefined` is refused on purpose: turning the check off must be written as `null`.
  if (audience === null) return null
  if (!Array.isArray(audience) || audience.length === 0) {
    throw new TypeError(`${where}: audience must be a non-empty array, or null to skip the check`)
  }
  if (audience.length > MAX_AUDIENCES) throw new TypeError(`${where}: at most ${MAX_AUDIENCES} audiences`)
  for (const a of audience) {
    if (typeof a !== 'string' || a.length === 0)
      throw new TypeError(`${where}: audiences must be non-empty strings`)
  }
  return new Set(audience)
}

function checkedAlgorithms(
  algorithms: readonly JwtAlgorithm[] | undefined,
  where: string,
): ReadonlySet<JwtAlgorithm> {
  const list = algorithms ?? ['RS256']
  if (list.length === 0) throw new TypeError(`${where}: algorithms must not be empty`)
  for (const alg of list) {
    if (!SUPPORTED_ALGORITHMS.includes(alg))
      throw new TypeError(`${where}: algorithm ${String(alg)} is not supported`)
  }
  return new Set(list)
}

function checkedTokenType(typ: string | undefined, where: string): string | undefined {
  if (typ !== undefined && (typeof typ !== 'string' || typ.length === 0)) {
    throw new TypeError(`${where}: requiredTokenType must be a non-empty string`)
  }
  return typ
}
