import { parseFunctionRef } from '../../aws/function-ref.ts'
import { describe, type FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import type { SecuritySchemeSpec } from '../openapi/api-definition.ts'
import { childPointer } from '../source-document.ts'
import { invokeUri } from './function-source.ts'

type FunctionNames = ReadonlyMap<string, { name: string; arn: string }>

/** The framework's default identity source for Lambda authorizers. */
const DEFAULT_HEADER = 'Authorization'

/**
 * A REST `authorizer:` of an http event (a function of the service by name, an ARN, or an
 * object with `name`/`arn`, `type` TOKEN or REQUEST, `identitySource`, `resultTtlInSeconds`,
 * `identityValidationExpression`) as the security scheme API Gateway's export would write.
 */
export function restAuthorizerScheme(
  r: FieldReader,
  notes: FieldReader,
  raw: unknown,
  pointer: string,
  region: string,
  names: FunctionNames,
): SecuritySchemeSpec | undefined {
  const obj: JsonObject = typeof raw === 'string' ? { name: raw } : isObject(raw) ? raw : {}
  if (typeof raw !== 'string' && !isObject(raw))
    return r.fail(pointer, `expected an authorizer name, ARN or object, found ${describe(raw)}`)
  const type = (typeof obj.type === 'string' ? obj.type : 'token').toLowerCase()
  if (type === 'aws_iam' || type === 'cognito_user_pools' || obj.arn?.toString().includes(':cognito-idp:'))
    return r.fail(pointer, `${type === 'aws_iam' ? 'IAM' : 'Cognito'} authorizers are not supported yet`)
  if (type !== 'token' && type !== 'request')
    return r.fail(childPointer(pointer, 'type'), `expected TOKEN or REQUEST, found '${String(obj.type)}'`)
  const fn = functionOf(r, obj, pointer, names)
  if (fn === undefined) return undefined
  const ttl = (obj.resultTtlInSeconds as number | undefined) ?? 300
  // An uncached REQUEST authorizer may go without identity sources: it then runs on every request.
  const identitySource =
    typeof obj.identitySource === 'string'
      ? restIdentitySource(notes, obj.identitySource, childPointer(pointer, 'identitySource'))
      : type === 'request' && ttl === 0
        ? ''
        : `method.request.header.${DEFAULT_HEADER}`
  const header = /^method\.request\.header\.([^,\s]+)$/.exec(identitySource)?.[1] ?? DEFAULT_HEADER
  const authorizer: JsonObject = {
    type,
    authorizerUri: invokeUri(region, fn.arn),
    identitySource,
    authorizerResultTtlInSeconds: ttl,
  }
  if (typeof obj.identityValidationExpression === 'string')
    authorizer.identityValidationExpression = obj.identityValidationExpression
  return {
    name: typeof obj.name === 'string' ? obj.name : fn.name,
    pointer,
    raw: {
      type: 'apiKey',
      name: header,
      in: 'header',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': authorizer,
    },
  }
}

/**
 * REST identity sources are `method.request.header.NAME` (or `querystring`, `stageVariables`,
 * `context`). The HTTP API form `$request.header.NAME` is what serverless-offline also accepts
 * here; it is read as the REST form it stands for, and named, since API Gateway refuses it.
 */
function restIdentitySource(notes: FieldReader, raw: string, pointer: string): string {
  if (!raw.includes('$request.')) return raw
  const rest = raw.replace(/\$request\.(header|querystring)\./g, 'method.request.$1.')
  notes.fail(pointer, `'${raw}' is the HTTP API syntax: read as '${rest}', which a REST API expects`)
  return rest
}

function functionOf(
  r: FieldReader,
  obj: JsonObject,
  pointer: string,
  names: FunctionNames,
): { name: string; arn: string } | undefined {
  const arn =
    typeof obj.arn === 'string' ? obj.arn : typeof obj.functionArn === 'string' ? obj.functionArn : undefined
  const byName = typeof obj.functionName === 'string' ? obj.functionName : obj.name
  if (arn !== undefined) {
    const ref = parseFunctionRef(arn)
    if (ref === undefined) return r.fail(pointer, `expected a Lambda function ARN, found '${arn}'`)
    return ref
  }
  if (typeof byName === 'string' && names.has(byName)) return names.get(byName)
  if (typeof byName === 'string' && parseFunctionRef(byName) !== undefined) return parseFunctionRef(byName)
  return r.fail(pointer, `expected a function of this service or an ARN, found ${describe(byName)}`)
}

/**
 * `provider.httpApi.authorizers`: JWT (`identitySource`, `issuerUrl`, `audience`) or Lambda
 * (`type: request`, `functionName` or `functionArn`, `identitySource`, `resultTtlInSeconds`,
 * `enableSimpleResponses`, `payloadVersion`), each as a security scheme by its name.
 */
export function readHttpApiAuthorizers(
  r: FieldReader,
  httpApi: JsonObject,
  region: string,
  names: FunctionNames,
): Map<string, SecuritySchemeSpec> {
  const out = new Map<string, SecuritySchemeSpec>()
  const base = '/provider/httpApi/authorizers'
  const all = r.object(httpApi, 'authorizers', '/provider/httpApi', false) ?? {}
  for (const [name, a] of Object.entries(all)) {
    const p = childPointer(base, name)
    if (!isObject(a)) {
      r.fail(p, `expected an authorizer object, found ${describe(a)}`)
      continue
    }
    const sources =
      typeof a.identitySource === 'string' ? [a.identitySource] : (a.identitySource as string[] | undefined)
    if (a.type === 'request') {
      const fn = functionOf(r, a, p, names)
      if (fn === undefined) continue
      const authorizer: JsonObject = {
        type: 'request',
        authorizerUri: invokeUri(region, fn.arn),
        authorizerPayloadFormatVersion: typeof a.payloadVersion === 'string' ? a.payloadVersion : '2.0',
        enableSimpleResponses: a.enableSimpleResponses === true,
        identitySource: (sources ?? []).join(', '),
      }
      if (a.resultTtlInSeconds !== undefined) authorizer.authorizerResultTtlInSeconds = a.resultTtlInSeconds
      out.set(name, {
        name,
        pointer: p,
        raw: {
          type: 'apiKey',
          name: DEFAULT_HEADER,
          in: 'header',
          'x-amazon-apigateway-authorizer': authorizer,
        },
      })
      continue
    }
    if (a.type !== undefined && a.type !== 'jwt') {
      r.fail(childPointer(p, 'type'), `expected jwt or request, found ${describe(a.type)}`)
      continue
    }
    const issuer = r.string(a, 'issuerUrl', p, true)
    const audience = typeof a.audience === 'string' ? [a.audience] : r.stringArray(a, 'audience', p)
    if (audience === undefined)
      r.fail(childPointer(p, 'audience'), 'a required audience (a string or a list) is missing')
    if (issuer === undefined || audience === undefined) continue
    out.set(name, {
      name,
      pointer: p,
      raw: {
        type: 'oauth2',
        'x-amazon-apigateway-authorizer': {
          type: 'jwt',
          identitySource: sources?.[0] ?? '$request.header.Authorization',
          jwtConfiguration: { issuer, audience },
        },
      },
    })
  }
  return out
}
