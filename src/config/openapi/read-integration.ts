import { parseFunctionRef } from '../../aws/function-ref.ts'
import type { ApiDialect, PayloadFormat } from '../../dialect/api-dialect.ts'
import { describe, type FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import { childPointer } from '../source-document.ts'
import type { IntegrationSpec } from './api-definition.ts'
import type {
  ContentHandling,
  IntegrationResponseSpec,
  LocatedText,
  MappedIntegrationSpec,
} from './mapping-integration-spec.ts'

const SUPPORTED = 'aws, aws_proxy, http, http_proxy or mock'
const LAMBDA_URI =
  'a Lambda invoke URI (arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/arn:aws:lambda:REGION:ACCOUNT:function:NAME/invocations)'
const PASSTHROUGH = ['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'] as const
const CONTENT_HANDLING = ['CONVERT_TO_TEXT', 'CONVERT_TO_BINARY'] as const
const REQUEST_TARGET = /^integration\.request\.(header|querystring|path)\.[^.\s][^\s]*$/
const RESPONSE_TARGET = /^method\.response\.header\.[^\s]+$/
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY']

/** Reads one `x-amazon-apigateway-integration` object (already resolved from any `$ref`). */
export function readIntegration(
  r: FieldReader,
  obj: JsonObject,
  pointer: string,
  dialect: ApiDialect,
): IntegrationSpec | undefined {
  const rawType = r.string(obj, 'type', pointer, true)
  if (rawType === undefined) return undefined
  const type = rawType.toLowerCase()
  const maxTimeout = dialect.maxIntegrationTimeoutMs
  const timeoutMs = r.integer(obj, 'timeoutInMillis', pointer, 50, maxTimeout) ?? maxTimeout
  if (type === 'aws_proxy') {
    const uri = r.string(obj, 'uri', pointer, true)
    checkPost(r, obj, pointer)
    const version = readPayloadVersion(r, obj, pointer, dialect)
    if (uri === undefined || version === undefined) return undefined
    const fn = parseFunctionRef(uri)
    if (fn === undefined) {
      return r.fail(childPointer(pointer, 'uri'), `expected ${LAMBDA_URI} or function ARN`)
    }
    return {
      type: 'aws_proxy',
      functionName: fn.name,
      functionArn: fn.arn,
      payloadFormatVersion: version,
      timeoutMs,
      pointer,
    }
  }
  if (type === 'http_proxy') {
    const uri = r.string(obj, 'uri', pointer, true)
    if (uri === undefined) return undefined
    if (!/^https?:\/\/[^/?#\s]+/i.test(uri))
      return r.fail(
        childPointer(pointer, 'uri'),
        `expected an http:// or https:// URL, found ${withoutCredentials(uri)}`,
      )
    const httpMethod = r.string(obj, 'httpMethod', pointer, false)?.toUpperCase()
    return { type: 'http_proxy', uri, httpMethod, timeoutMs, pointer }
  }
  if (type === 'aws' || type === 'http' || type === 'mock') {
    if (!dialect.mappedIntegrations)
      return r.fail(
        childPointer(pointer, 'type'),
        `expected aws_proxy or http_proxy: HTTP APIs have no '${rawType}' (non-proxy) integrations`,
      )
    return readMapped(r, obj, pointer, type, timeoutMs)
  }
  return r.fail(childPointer(pointer, 'type'), `expected ${SUPPORTED}, found '${rawType}'`)
}

function checkPost(r: FieldReader, obj: JsonObject, pointer: string): void {
  const method = r.string(obj, 'httpMethod', pointer, false)
  if (method !== undefined && method.toUpperCase() !== 'POST')
    r.fail(
      childPointer(pointer, 'httpMethod'),
      `expected POST (Lambda is invoked with POST), found ${method}`,
    )
}

function readPayloadVersion(
  r: FieldReader,
  obj: JsonObject,
  pointer: string,
  dialect: ApiDialect,
): PayloadFormat | undefined {
  const version = r.string(obj, 'payloadFormatVersion', pointer, false)
  if (version === undefined) return dialect.defaultPayloadFormat
  if ((dialect.payloadFormats as readonly string[]).includes(version)) return version as PayloadFormat
  return r.fail(childPointer(pointer, 'payloadFormatVersion'), dialect.payloadFormatExpected)
}

/** `aws` (Lambda), `http` and `mock`: the integrations whose requests and responses are mapped. */
function readMapped(
  r: FieldReader,
  obj: JsonObject,
  pointer: string,
  type: 'aws' | 'http' | 'mock',
  timeoutMs: number,
): MappedIntegrationSpec | undefined {
  const before = r.errors.length
  const requestTemplates = located(r, obj, 'requestTemplates', pointer)
  const requestParameters = located(r, obj, 'requestParameters', pointer)
  for (const p of requestParameters)
    if (!REQUEST_TARGET.test(p.key))
      r.fail(p.pointer, 'expected a key of the form integration.request.{header|querystring|path}.NAME')
  const passthroughBehavior = readEnum(r, obj, 'passthroughBehavior', pointer, PASSTHROUGH) ?? 'WHEN_NO_MATCH'
  const contentHandling = readEnum(r, obj, 'contentHandling', pointer, CONTENT_HANDLING)
  const responses = readResponses(r, obj, pointer)
  const base = {
    pointer,
    timeoutMs,
    requestTemplates,
    passthroughBehavior,
    requestParameters,
    contentHandling,
    responses,
  }
  if (type === 'aws') {
    const uri = r.string(obj, 'uri', pointer, true)
    checkPost(r, obj, pointer)
    if (uri === undefined) return undefined
    const fn = /:lambda:path\//.test(uri) ? parseFunctionRef(uri) : undefined
    if (fn === undefined)
      return r.fail(
        childPointer(pointer, 'uri'),
        /^arn:[\w-]+:apigateway:/.test(uri) && !/:lambda:path\//.test(uri)
          ? `expected ${LAMBDA_URI}; integrations with other AWS services are not supported`
          : `expected ${LAMBDA_URI}`,
      )
    if (r.errors.length > before) return undefined
    return { type: 'aws', functionName: fn.name, functionArn: fn.arn, ...base }
  }
  if (type === 'http') {
    const uri = r.string(obj, 'uri', pointer, true)
    const httpMethod = r.string(obj, 'httpMethod', pointer, true)?.toUpperCase()
    if (httpMethod !== undefined && !HTTP_METHODS.includes(httpMethod))
      r.fail(childPointer(pointer, 'httpMethod'), `expected one of ${HTTP_METHODS.join(', ')}`)
    if (uri !== undefined && !/^https?:\/\/[^/?#\s]+/i.test(uri))
      r.fail(
        childPointer(pointer, 'uri'),
        `expected an http:// or https:// URL, found ${withoutCredentials(uri)}`,
      )
    if (uri === undefined || httpMethod === undefined || r.errors.length > before) return undefined
    return { type: 'http', uri, httpMethod, ...base }
  }
  if (r.errors.length > before) return undefined
  return { type: 'mock', ...base }
}

function located(r: FieldReader, obj: JsonObject, key: string, pointer: string): LocatedText[] {
  const base = childPointer(pointer, key)
  return (r.stringMap(obj, key, pointer) ?? []).map(([k, text]) => {
    const p = childPointer(base, k)
    return { key: k, text, pointer: p, line: r.doc.lineOf(p) }
  })
}

function readEnum<T extends string>(
  r: FieldReader,
  obj: JsonObject,
  key: string,
  pointer: string,
  values: readonly T[],
): T | undefined {
  const raw = r.string(obj, key, pointer, false)
  if (raw === undefined) return undefined
  const upper = raw.toUpperCase() as T
  if (values.includes(upper)) return upper
  return r.fail(childPointer(pointer, key), `expected ${values.join(', ')} (any case), found ${raw}`)
}

function readResponses(r: FieldReader, obj: JsonObject, pointer: string): IntegrationResponseSpec[] {
  const out: IntegrationResponseSpec[] = []
  const raw = r.object(obj, 'responses', pointer, false) ?? {}
  const base = childPointer(pointer, 'responses')
  for (const [pattern, value] of Object.entries(raw)) {
    const p = childPointer(base, pattern)
    if (!isObject(value)) {
      r.fail(p, `expected an integration response object, found ${describe(value)}`)
      continue
    }
    const statusCode = r.integer(value, 'statusCode', p, 100, 599)
    if (statusCode === undefined) {
      if (value.statusCode === undefined)
        r.fail(childPointer(p, 'statusCode'), 'a required status code is missing')
      continue
    }
    const parameters = located(r, value, 'responseParameters', p)
    for (const param of parameters)
      if (!RESPONSE_TARGET.test(param.key))
        r.fail(param.pointer, 'expected a key of the form method.response.header.NAME')
    out.push({
      pattern,
      pointer: p,
      line: r.doc.lineOf(p),
      statusCode,
      parameters,
      templates: located(r, value, 'responseTemplates', p),
      contentHandling: readEnum(r, value, 'contentHandling', p, CONTENT_HANDLING) as
        | ContentHandling
        | undefined,
    })
  }
  return out
}

/** A user name and password written into a URL are a secret: the message shows neither. */
function withoutCredentials(uri: string): string {
  return uri.replace(/^([^:/?#\s]+:\/\/)[^/?#@\s]*@/, '$1…@')
}
