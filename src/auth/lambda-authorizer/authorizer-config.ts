import { RE2JS } from 're2js'
import type { ApiDialect } from '../../dialect/api-dialect.ts'
import { type IdentitySource, IdentitySourceError, parseIdentitySources } from '../identity-source.ts'
import { MAX_TTL_SECONDS } from './result-cache.ts'

/** A Lambda authorizer as configuration describes it (already resolved from OpenAPI). */
export interface LambdaAuthorizerConfig {
  /** Unique per API; part of the result-cache key. */
  readonly id: string
  /** The API's dialect: which types, payload formats and responses it allows. */
  readonly dialect: ApiDialect
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

export interface AuthorizerConfigIssue {
  readonly field: keyof LambdaAuthorizerConfig
  readonly expected: string
}

/**
 * Every configuration mistake of one authorizer; `field` and `expected` are the first's, and
 * each issue names its config key so the loader can point at it.
 */
export class AuthorizerConfigError extends Error {
  readonly field: string
  readonly expected: string
  readonly issues: readonly AuthorizerConfigIssue[]

  constructor(authorizerId: string, issues: readonly AuthorizerConfigIssue[]) {
    super(issues.map((i) => `authorizer '${authorizerId}': ${i.field}: ${i.expected}`).join('\n'))
    this.name = 'AuthorizerConfigError'
    this.field = issues[0]!.field
    this.expected = issues[0]!.expected
    this.issues = issues
  }
}

/** A configured regular expression, run in time linear in the input (RE2): no backtracking. */
export interface LinearRegExp {
  /** True when the expression matches anywhere in `input` (a search, as API Gateway does). */
  test(input: string): boolean
}

/** Compiles a configured expression with RE2, or says why it cannot run in linear time. */
export function compileLinearRegExp(expression: string): LinearRegExp | string {
  try {
    const compiled = RE2JS.compile(expression)
    return { test: (input) => compiled.test(input) }
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err)
    return `a regular expression RE2 accepts (linear time: no backreferences, lookahead or lookbehind); ${why}`
  }
}

/** Everything the request path needs, decided once at start-up. */
export interface CompiledAuthorizerConfig {
  readonly config: LambdaAuthorizerConfig
  readonly sources: readonly IdentitySource[]
  readonly validation: LinearRegExp | undefined
  readonly ttlMs: number
}

/** Validates the combination rules API Gateway enforces at deployment, and compiles the rest. */
export function compileAuthorizerConfig(config: LambdaAuthorizerConfig): CompiledAuthorizerConfig {
  const { ttlSeconds, dialect, type } = config
  const issues: AuthorizerConfigIssue[] = []
  const check = (ok: boolean, field: keyof LambdaAuthorizerConfig, expected: string): void => {
    if (!ok) issues.push({ field, expected })
  }
  check(config.id !== '', 'id', 'a non-empty id')
  check(config.functionName !== '', 'functionName', 'a function name')
  check(
    Number.isInteger(ttlSeconds) && ttlSeconds >= 0 && ttlSeconds <= MAX_TTL_SECONDS,
    'ttlSeconds',
    `an integer from 0 to ${MAX_TTL_SECONDS}`,
  )
  check(
    Number.isFinite(config.timeoutMs) && config.timeoutMs > 0,
    'timeoutMs',
    'a positive number of milliseconds',
  )
  check(dialect.lambdaAuthorizerTypes.includes(type), 'type', dialect.lambdaAuthorizerTypesExpected)
  check(
    dialect.authorizerPayloadFormats.includes(config.payloadFormatVersion),
    'payloadFormatVersion',
    dialect.authorizerPayloadFormatsExpected,
  )
  check(
    !config.simpleResponses || config.payloadFormatVersion === dialect.simpleResponsesPayload,
    'simpleResponses',
    'simple responses only with HTTP API payload format 2.0',
  )
  let sources: IdentitySource[] | undefined
  try {
    sources = parseIdentitySources(config.identitySources, dialect.identitySyntax)
  } catch (err) {
    if (!(err instanceof IdentitySourceError)) throw err
    check(false, 'identitySources', err.message)
  }
  if (sources !== undefined) {
    if (type === 'token') {
      check(
        sources.length === 1 && sources[0]!.kind === 'header',
        'identitySources',
        'exactly one header for a TOKEN authorizer',
      )
    }
    check(
      ttlSeconds === 0 || sources.length > 0,
      'identitySources',
      'at least one identity source when caching is enabled',
    )
  }
  let validation: LinearRegExp | undefined
  if (type === 'token' && config.identityValidationExpression !== undefined) {
    const compiled = compileLinearRegExp(config.identityValidationExpression)
    if (typeof compiled === 'string') check(false, 'identityValidationExpression', compiled)
    else validation = compiled
  }
  if (issues.length > 0) throw new AuthorizerConfigError(config.id, issues)
  return { config, sources: sources ?? [], validation, ttlMs: ttlSeconds * 1000 }
}
