import { parseFunctionRef } from '../../aws/function-ref.ts'
import { describe, type FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import type { SecuritySchemeSpec } from '../openapi/api-definition.ts'
import type { CorsSpec } from '../openapi/read-cors.ts'
import { invokeUri } from '../serverless/function-source.ts'
import { childPointer } from '../source-document.ts'

/**
 * An API's `Auth.Authorizers` as the security schemes API Gateway's export writes. REST
 * (`AWS::Serverless::Api`): Lambda `FunctionPayloadType` TOKEN (default) or REQUEST with
 * `Identity` (`Header`, `Headers`, `QueryStrings`, `ValidationExpression`, `ReauthorizeEvery`,
 * default 300 s). HTTP API: `JwtConfiguration` with `IdentitySource`, or Lambda with
 * `AuthorizerPayloadFormatVersion`, `EnableSimpleResponses`, `Identity`.
 */
export function readSamAuthorizers(
  r: FieldReader,
  auth: JsonObject,
  pointer: string,
  httpApi: boolean,
  region: string,
): Map<string, SecuritySchemeSpec> {
  const out = new Map<string, SecuritySchemeSpec>()
  const base = childPointer(pointer, 'Authorizers')
  const all = r.object(auth, 'Authorizers', pointer, false) ?? {}
  for (const [name, a] of Object.entries(all)) {
    const p = childPointer(base, name)
    if (!isObject(a)) {
      r.fail(p, `expected an authorizer object, found ${describe(a)}`)
      continue
    }
    if (a.UserPoolArn !== undefined) {
      r.fail(p, 'Cognito authorizers are not supported yet')
      continue
    }
    if (httpApi && isObject(a.JwtConfiguration)) {
      const jwt = a.JwtConfiguration
      out.set(name, {
        name,
        pointer: p,
        raw: {
          type: 'oauth2',
          'x-amazon-apigateway-authorizer': {
            type: 'jwt',
            identitySource:
              typeof a.IdentitySource === 'string' ? a.IdentitySource : '$request.header.Authorization',
            jwtConfiguration: {
              issuer: jwt.issuer ?? jwt.Issuer ?? null,
              audience: jwt.audience ?? jwt.Audience ?? null,
            },
          },
        },
      })
      continue
    }
    const arn = r.string(a, 'FunctionArn', p, true)
    const fn = arn === undefined ? undefined : parseFunctionRef(arn)
    if (arn !== undefined && fn === undefined)
      r.fail(childPointer(p, 'FunctionArn'), `expected a function ARN (!GetAtt Fn.Arn), found '${arn}'`)
    if (fn === undefined) continue
    const identity = r.object(a, 'Identity', p, false) ?? {}
    const ip = childPointer(p, 'Identity')
    const ttl = identity.ReauthorizeEvery
    if (httpApi) {
      const headers = r.stringArray(identity, 'Headers', ip) ?? []
      const queries = r.stringArray(identity, 'QueryStrings', ip) ?? []
      // YAML reads an unquoted 2.0 as the number 2, which SAM accepts.
      const given = a.AuthorizerPayloadFormatVersion
      const version =
        typeof given === 'number' ? given.toFixed(1) : r.string(a, 'AuthorizerPayloadFormatVersion', p, true)
      const ext: JsonObject = {
        type: 'request',
        authorizerUri: invokeUri(region, fn.arn),
        authorizerPayloadFormatVersion: version ?? '2.0',
        enableSimpleResponses: a.EnableSimpleResponses === true,
        identitySource: [
          ...headers.map((h) => `$request.header.${h}`),
          ...queries.map((q) => `$request.querystring.${q}`),
        ].join(', '),
      }
      if (ttl !== undefined) ext.authorizerResultTtlInSeconds = ttl
      out.set(name, {
        name,
        pointer: p,
        raw: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authorizer': ext },
      })
      continue
    }
    const payload = (
      typeof a.FunctionPayloadType === 'string' ? a.FunctionPayloadType : 'TOKEN'
    ).toLowerCase()
    if (payload !== 'token' && payload !== 'request') {
      r.fail(
        childPointer(p, 'FunctionPayloadType'),
        `expected TOKEN or REQUEST, found '${String(a.FunctionPayloadType)}'`,
      )
      continue
    }
    const header = typeof identity.Header === 'string' ? identity.Header : 'Authorization'
    const sources =
      payload === 'token'
        ? `method.request.header.${header}`
        : [
            ...(r.stringArray(identity, 'Headers', ip) ?? []).map((h) => `method.request.header.${h}`),
            ...(r.stringArray(identity, 'QueryStrings', ip) ?? []).map(
              (q) => `method.request.querystring.${q}`,
            ),
            ...(r.stringArray(identity, 'StageVariables', ip) ?? []).map((s) => `stageVariables.${s}`),
            ...(r.stringArray(identity, 'Context', ip) ?? []).map((c) => `context.${c}`),
          ].join(', ')
    const ext: JsonObject = {
      type: payload,
      authorizerUri: invokeUri(region, fn.arn),
      identitySource: sources,
      authorizerResultTtlInSeconds: (ttl as number | undefined) ?? 300,
    }
    if (typeof identity.ValidationExpression === 'string')
      ext.identityValidationExpression = identity.ValidationExpression
    out.set(name, {
      name,
      pointer: p,
      raw: {
        type: 'apiKey',
        name: header,
        in: 'header',
        'x-amazon-apigateway-authtype': 'custom',
        'x-amazon-apigateway-authorizer': ext,
      },
    })
  }
  return out
}

/** An HTTP API's `CorsConfiguration`: `true` (any origin, any method, any header) or its fields. */
export function readSamCors(r: FieldReader, raw: unknown, pointer: string): CorsSpec | undefined {
  if (raw === undefined || raw === false) return undefined
  if (raw === true)
    return {
      allowOrigins: ['*'],
      allowMethods: ['*'],
      allowHeaders: ['*'],
      exposeHeaders: [],
      maxAge: undefined,
      allowCredentials: false,
      pointer,
    }
  if (typeof raw === 'string')
    return {
      allowOrigins: [raw.replace(/^'|'$/g, '')],
      allowMethods: ['*'],
      allowHeaders: ['*'],
      exposeHeaders: [],
      maxAge: undefined,
      allowCredentials: false,
      pointer,
    }
  if (!isObject(raw)) return r.fail(pointer, `expected true or an object, found ${describe(raw)}`)
  const allowOrigins = r.stringArray(raw, 'AllowOrigins', pointer) ?? []
  const allowCredentials = r.boolean(raw, 'AllowCredentials', pointer) ?? false
  if (allowCredentials && allowOrigins.includes('*'))
    r.fail(
      childPointer(pointer, 'AllowOrigins'),
      'expected the origins by name: AllowCredentials cannot be true for *',
    )
  return {
    allowOrigins,
    allowMethods: (r.stringArray(raw, 'AllowMethods', pointer) ?? []).map((m) => m.toUpperCase()),
    allowHeaders: r.stringArray(raw, 'AllowHeaders', pointer) ?? [],
    exposeHeaders: r.stringArray(raw, 'ExposeHeaders', pointer) ?? [],
    maxAge: r.integer(raw, 'MaxAge', pointer, -1, 86_400),
    allowCredentials,
    pointer,
  }
}
