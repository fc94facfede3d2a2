import { parseFunctionRef } from '../../aws/function-ref.ts'
import { type FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import { childPointer } from '../source-document.ts'
import type { IntegrationSpec } from './api-definition.ts'

const SUPPORTED = 'aws_proxy, http_proxy or mock'

/** Reads one `x-amazon-apigateway-integration` object (already resolved from any `$ref`). */
export function readIntegration(
  r: FieldReader,
  obj: JsonObject,
  pointer: string,
  kind: 'rest' | 'http',
): IntegrationSpec | undefined {
  const rawType = r.string(obj, 'type', pointer, true)
  if (rawType === undefined) return undefined
  const type = rawType.toLowerCase()
  const maxTimeout = kind === 'rest' ? 29_000 : 30_000
  const timeoutMs = r.integer(obj, 'timeoutInMillis', pointer, 50, maxTimeout) ?? maxTimeout
  if (type === 'aws_proxy') {
    const uri = r.string(obj, 'uri', pointer, true)
    const method = r.string(obj, 'httpMethod', pointer, false)
    if (method !== undefined && method.toUpperCase() !== 'POST') {
      r.fail(
        childPointer(pointer, 'httpMethod'),
        `expected POST (Lambda is invoked with POST), found ${method}`,
      )
    }
    const version = readPayloadVersion(r, obj, pointer, kind)
    if (uri === undefined || version === undefined) return undefined
    const fn = parseFunctionRef(uri)
    if (fn === undefined) {
      return r.fail(
        childPointer(pointer, 'uri'),
        'expected a Lambda invoke URI (arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/arn:aws:lambda:REGION:ACCOUNT:function:NAME/invocations) or function ARN',
      )
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
      return r.fail(childPointer(pointer, 'uri'), `expected an http:// or https:// URL, found ${uri}`)
    const httpMethod = r.string(obj, 'httpMethod', pointer, false)?.toUpperCase()
    return { type: 'http_proxy', uri, httpMethod, timeoutMs, pointer }
  }
  if (type === 'mock') return readMock(r, obj, pointer)
  if (type === 'aws' || type === 'http') {
    return r.fail(
      childPointer(pointer, 'type'),
      `expected ${SUPPORTED}; '${rawType}' (non-proxy with mapping templates) is not supported yet`,
    )
  }
  return r.fail(childPointer(pointer, 'type'), `expected ${SUPPORTED}, found '${rawType}'`)
}

function readPayloadVersion(
  r: FieldReader,
  obj: JsonObject,
  pointer: string,
  kind: 'rest' | 'http',
): '1.0' | '2.0' | undefined {
  const version = r.string(obj, 'payloadFormatVersion', pointer, false)
  if (version === undefined) return kind === 'http' ? '2.0' : '1.0'
  if (version === '1.0' || (version === '2.0' && kind === 'http')) return version
  return r.fail(
    childPointer(pointer, 'payloadFormatVersion'),
    kind === 'rest' ? 'expected 1.0 (REST APIs use payload 1.0)' : 'expected 1.0 or 2.0',
  )
}

function readMock(r: FieldReader, obj: JsonObject, pointer: string): IntegrationSpec | undefined {
  const templates = r.stringMap(obj, 'requestTemplates', pointer) ?? []
  const template = templates.find(([type]) => type === 'application/json')?.[1] ?? templates[0]?.[1]
  const status = template === undefined ? undefined : /"statusCode"\s*:\s*(\d{3})/.exec(template)?.[1]
  const responses: {
    pattern: string
    statusCode: number
    headers: [string, string][]
    templates: [string, string][]
  }[] = []
  const rawResponses = r.object(obj, 'responses', pointer, false) ?? {}
  const responsesPointer = childPointer(pointer, 'responses')
  for (const [pattern, value] of Object.entries(rawResponses)) {
    const p = childPointer(responsesPointer, pattern)
    if (!isObject(value)) {
      r.fail(p, 'expected an integration response object')
      continue
    }
    const statusCode = r.integer(value, 'statusCode', p, 100, 599)
    if (statusCode === undefined) {
      if (value.statusCode === undefined)
        r.fail(childPointer(p, 'statusCode'), 'a required status code is missing')
      continue
    }
    try {
      if (pattern !== 'default') new RegExp(pattern)
    } catch {
      r.fail(p, 'expected a valid selection pattern (regular expression)')
      continue
    }
    const headers = (r.stringMap(value, 'responseParameters', p) ?? [])
      .filter(([name]) => name.startsWith('method.response.header.'))
      .map(([name, v]): [string, string] => [
        name.slice('method.response.header.'.length),
        v.replace(/^'(.*)'$/, '$1'),
      ])
    responses.push({
      pattern,
      statusCode,
      headers,
      templates: r.stringMap(value, 'responseTemplates', p) ?? [],
    })
  }
  return {
    type: 'mock',
    requestStatus: status === undefined ? undefined : Number(status),
    responses,
    pointer,
  }
}
