import { parseFunctionRef } from '../../aws/function-ref.ts'
import type { ApiDialect } from '../../dialect/api-dialect.ts'
import { ConfigError, ConfigErrors } from '../../errors/config-error.ts'
import { describe, isObject, type JsonObject } from '../field-reader.ts'
import { childPointer } from '../source-document.ts'
import type { SecuritySchemeSpec } from './api-definition.ts'

const EXT = 'x-amazon-apigateway-authorizer'

export type AuthorizerSpec =
  | {
      readonly type: 'token' | 'request'
      readonly schemeName: string
      readonly functionName: string
      readonly functionArn: string
      readonly identitySources: string
      /** Where the identity sources are written: `identitySource`, or the scheme (TOKEN header). */
      readonly identitySourcePointer: string
      readonly identityValidationExpression: string | undefined
      readonly ttlSeconds: number
      readonly payloadFormatVersion: '1.0' | '2.0'
      readonly simpleResponses: boolean
      readonly timeoutMs: number
      readonly pointer: string
    }
  | {
      readonly type: 'jwt'
      readonly schemeName: string
      readonly identitySource: string
      readonly issuer: string
      readonly audience: readonly string[]
      readonly pointer: string
    }

/**
 * Reads a security scheme's `x-amazon-apigateway-authorizer`. A TOKEN authorizer's header is
 * the scheme's `name` (`type: apiKey, in: header`), as API Gateway's exports write it.
 * Defaults follow AWS: REST results are cached 300 s, HTTP API results not at all [inferred],
 * HTTP APIs speak payload 2.0 unless told otherwise. Every problem of the scheme is reported
 * together (a `ConfigErrors` when there are several).
 */
export function readAuthorizerScheme(
  file: string,
  scheme: SecuritySchemeSpec,
  dialect: ApiDialect,
  lineOf: (pointer: string) => number | undefined,
): AuthorizerSpec {
  const raw = scheme.raw as JsonObject
  const base = childPointer(scheme.pointer, EXT)
  const errors: ConfigError[] = []
  const failAt = (pointer: string, expected: string): undefined => {
    errors.push(new ConfigError(file, pointer, expected, lineOf(pointer)))
    return undefined
  }
  const fail = (key: string, expected: string): undefined =>
    failAt(key === '' ? base : childPointer(base, key), expected)
  const done = (spec: AuthorizerSpec | undefined): AuthorizerSpec => {
    if (errors.length === 1) throw errors[0]
    if (errors.length > 1) throw new ConfigErrors(errors)
    return spec!
  }
  const ext = raw[EXT]
  if (!isObject(ext)) {
    const authType = raw['x-amazon-apigateway-authtype']
    if (typeof authType === 'string' && authType.toLowerCase() === 'awssigv4') {
      failAt(
        childPointer(scheme.pointer, 'x-amazon-apigateway-authtype'),
        `scheme '${scheme.name}' asks for IAM (SigV4) authorization, which is not supported yet: protect the route with a Lambda REQUEST authorizer (x-amazon-apigateway-authorizer with type: request) or with Salesforce identity (x-forcegate-salesforce)`,
      )
      return done(undefined)
    }
    failAt(
      scheme.pointer,
      `scheme '${scheme.name}' has no x-amazon-apigateway-authorizer object; only API Gateway authorizers (and x-forcegate extensions) are enforced`,
    )
    return done(undefined)
  }
  const str = (key: string): string | undefined => {
    const v = ext[key]
    if (v === undefined) return undefined
    if (typeof v !== 'string') return fail(key, `expected a string, found ${describe(v)}`)
    return v
  }
  const rawType = str('type')
  if (rawType === undefined) {
    if (ext.type === undefined) fail('type', 'a required type (token, request or jwt) is missing')
    return done(undefined)
  }
  const type = rawType.toLowerCase()
  if (type === 'jwt') return done(readJwt(ext, dialect, scheme, base, str, fail))
  if (type !== 'token' && type !== 'request') {
    fail(
      'type',
      `expected token, request or jwt, found '${type}'${type === 'cognito_user_pools' ? ' (Cognito is not supported yet)' : ''}`,
    )
    return done(undefined)
  }
  const uri = str('authorizerUri')
  if (uri === undefined && ext.authorizerUri === undefined)
    fail('authorizerUri', 'a required Lambda invoke URI is missing')
  const fn = uri === undefined ? undefined : parseFunctionRef(uri)
  if (uri !== undefined && fn === undefined) {
    fail(
      'authorizerUri',
      'expected a Lambda invoke URI (…/functions/arn:aws:lambda:REGION:ACCOUNT:function:NAME/invocations)',
    )
  }
  let identitySources = str('identitySource')
  let identitySourcePointer = childPointer(base, 'identitySource')
  if (type === 'token' && ext.identitySource === undefined) {
    const header = raw.in === 'header' && typeof raw.name === 'string' ? raw.name : undefined
    identitySourcePointer = scheme.pointer
    if (header === undefined)
      failAt(
        scheme.pointer,
        'a TOKEN authorizer scheme needs type: apiKey, in: header and the header as name',
      )
    else identitySources = `method.request.header.${header}`
  }
  const ttlRaw = ext.authorizerResultTtlInSeconds
  const ttl = typeof ttlRaw === 'string' && /^\d+$/.test(ttlRaw) ? Number(ttlRaw) : ttlRaw
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > 3600)) {
    fail('authorizerResultTtlInSeconds', `expected an integer from 0 to 3600, found ${describe(ttlRaw)}`)
  }
  const version = str('authorizerPayloadFormatVersion') ?? dialect.defaultAuthorizerPayloadFormat
  if (version !== '1.0' && version !== '2.0') fail('authorizerPayloadFormatVersion', 'expected 1.0 or 2.0')
  const simple = ext.enableSimpleResponses
  if (simple !== undefined && typeof simple !== 'boolean')
    fail('enableSimpleResponses', 'expected true or false')
  const timeout = raw['x-forcegate-timeoutInMillis']
  if (
    timeout !== undefined &&
    (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 50 || timeout > 30_000)
  ) {
    failAt(
      childPointer(scheme.pointer, 'x-forcegate-timeoutInMillis'),
      'expected an integer from 50 to 30000',
    )
  }
  const identityValidationExpression = str('identityValidationExpression')
  if (errors.length > 0 || fn === undefined) return done(undefined)
  return {
    type,
    schemeName: scheme.name,
    functionName: fn.name,
    functionArn: fn.arn,
    identitySources: identitySources ?? '',
    identitySourcePointer,
    identityValidationExpression,
    ttlSeconds: (ttl as number | undefined) ?? dialect.defaultAuthorizerTtlSeconds,
    payloadFormatVersion: version as '1.0' | '2.0',
    simpleResponses: simple === true,
    timeoutMs: (timeout as number | undefined) ?? 10_000,
    pointer: base,
  }
}

function readJwt(
  ext: JsonObject,
  dialect: ApiDialect,
  scheme: SecuritySchemeSpec,
  base: string,
  str: (key: string) => string | undefined,
  fail: (key: string, expected: string) => undefined,
): AuthorizerSpec | undefined {
  if (!dialect.jwtAuthorizers)
    fail('type', 'JWT authorizers belong to HTTP APIs (add x-amazon-apigateway-importexport-version)')
  const config = isObject(ext.jwtConfiguration) ? ext.jwtConfiguration : undefined
  if (config === undefined) return fail('jwtConfiguration', 'expected an object with issuer and audience')
  const issuer = typeof config.issuer === 'string' ? config.issuer : undefined
  if (issuer === undefined) fail('jwtConfiguration', 'expected jwtConfiguration.issuer (a URL)')
  const audience = config.audience
  if (!Array.isArray(audience) || audience.length === 0 || !audience.every((a) => typeof a === 'string')) {
    return fail('jwtConfiguration', 'expected jwtConfiguration.audience: a non-empty list of strings')
  }
  if (issuer === undefined || !dialect.jwtAuthorizers) return undefined
  return {
    type: 'jwt',
    schemeName: scheme.name,
    identitySource: str('identitySource') ?? '$request.header.Authorization',
    issuer,
    audience: audience as string[],
    pointer: base,
  }
}
