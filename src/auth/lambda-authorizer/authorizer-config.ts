import { type IdentitySource, IdentitySourceError, parseIdentitySources } from '../identity-source.ts'
import { MAX_TTL_SECONDS } from './result-cache.ts'

/** A Lambda authorizer as configuration describes it (already resolved from OpenAPI). */
export interface LambdaAuthorizerConfig {
  /** Unique per API; part of the result-cache key. */
  readonly id: string
  readonly kind: 'rest' | 'http'
  readonly type: 'token' | 'request'
  readonly functionName: string
  /** Comma-separated expressions (REST, OpenAPI) or an array (HTTP API). */
  readonly identitySources: string | readonly string[]
  /** TOKEN only; ignored for REQUEST authorizers, as API Gateway ignores it. */
  readonly identityValidationExpression?: string
  /** 0 turns caching off; 300 is API Gateway's default, 3600 its hard maximum. */
  readonly ttlSeconds: number
  /** REST authorizers speak 1.0; HTTP APIs choose. */
  readonly payloadFormatVersion: '1.0' | '2.0'
  readonly simpleResponses: boolean
  readonly timeoutMs: number
}

/** A configuration mistake; `field` names the config key so the loader can point at it. */
export class AuthorizerConfigError extends Error {
  readonly field: string
  readonly expected: string

  constructor(authorizerId: string, field: keyof LambdaAuthorizerConfig, expected: string) {
    super(`authorizer '${authorizerId}': ${field}: ${expected}`)
    this.name = 'AuthorizerConfigError'
    this.field = field
    this.expected = expected
  }
}

/** Everything the request path needs, decided once at start-up. */
export interface CompiledAuthorizerConfig {
  readonly config: LambdaAuthorizerConfig
  readonly sources: readonly IdentitySource[]
  readonly validation: RegExp | undefined
  readonly ttlMs: number
}

function check(
  ok: boolean,
  config: LambdaAuthorizerConfig,
  field: keyof LambdaAuthorizerConfig,
  expected: string,
): void {
  if (!ok) throw new AuthorizerConfigError(config.id, field, expected)
}

/** Validates the combination rules API Gateway enforces at deployment, and compiles the rest. */
export function compileAuthorizerConfig(config: LambdaAuthorizerConfig): CompiledAuthorizerConfig {
  const { ttlSeconds, kind, type } = config
  check(config.id !== '', config, 'id', 'a non-empty id')
  check(config.functionName !== '', config, 'functionName', 'a function name')
  check(
    Number.isInteger(ttlSeconds) && ttlSeconds >= 0 && ttlSeconds <= MAX_TTL_SECONDS,
    config,
    'ttlSeconds',
    `an integer from 0 to ${MAX_TTL_SECONDS}`,
  )
  check(
    Number.isFinite(config.timeoutMs) && config.timeoutMs > 0,
    config,
    'timeoutMs',
    'a positive number of milliseconds',
  )
  check(
    kind === 'rest' || type === 'request',
    config,
    'type',
    'HTTP APIs support only REQUEST Lambda authorizers',
  )
  check(
    kind === 'http' || config.payloadFormatVersion === '1.0',
    config,
    'payloadFormatVersion',
    "'1.0' for REST APIs",
  )
  check(
    !config.simpleResponses || (kind === 'http' && config.payloadFormatVersion === '2.0'),
    config,
    'simpleResponses',
    'simple responses only with HTTP API payload format 2.0',
  )
  let sources: IdentitySource[]
  try {
    sources = parseIdentitySources(config.identitySources, kind)
  } catch (err) {
    if (err instanceof IdentitySourceError)
      throw new AuthorizerConfigError(config.id, 'identitySources', err.message)
    throw err
  }
  if (type === 'token') {
    check(
      sources.length === 1 && sources[0]!.kind === 'header',
      config,
      'identitySources',
      'exactly one header for a TOKEN authorizer',
    )
  }
  check(
    ttlSeconds === 0 || sources.length > 0,
    config,
    'identitySources',
    'at least one identity source when caching is enabled',
  )
  let validation: RegExp | undefined
  if (type === 'token' && config.identityValidationExpression !== undefined) {
    try {
      validation = new RegExp(config.identityValidationExpression)
    } catch {
      throw new AuthorizerConfigError(config.id, 'identityValidationExpression', 'a valid regular expression')
    }
  }
  return { config, sources, validation, ttlMs: ttlSeconds * 1000 }
}

/** e.g. `lambda TOKEN authorizer 'bearer' → token-auth (cache 300 s)`, for the start-up route table. */
export function describeAuthorizer(config: LambdaAuthorizerConfig): string {
  const payload = config.kind === 'http' ? ` payload ${config.payloadFormatVersion}` : ''
  const simple = config.simpleResponses ? ', simple responses' : ''
  const cache = config.ttlSeconds === 0 ? 'no cache' : `cache ${config.ttlSeconds} s`
  return `lambda ${config.type.toUpperCase()} authorizer '${config.id}'${payload} → ${config.functionName} (${cache}${simple})`
}
