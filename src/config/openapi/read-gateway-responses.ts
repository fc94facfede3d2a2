import { GATEWAY_RESPONSE_TYPES, type GatewayResponseType } from '../../errors/codes.ts'
import type { GatewayResponseOverride } from '../../errors/gateway-responses.ts'
import { type FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import { childPointer } from '../source-document.ts'

const HEADER_PREFIX = 'gatewayresponse.header.'

/** Reads `x-amazon-apigateway-gateway-responses`: response type → status, headers, templates. */
export function readGatewayResponses(
  r: FieldReader,
  root: JsonObject,
): Map<GatewayResponseType, GatewayResponseOverride> {
  const out = new Map<GatewayResponseType, GatewayResponseOverride>()
  const key = 'x-amazon-apigateway-gateway-responses'
  const obj = r.object(root, key, '', false)
  if (obj === undefined) return out
  const base = childPointer('', key)
  for (const [type, value] of Object.entries(obj)) {
    const p = childPointer(base, type)
    if (!(GATEWAY_RESPONSE_TYPES as readonly string[]).includes(type)) {
      r.fail(p, `expected a gateway response type (${GATEWAY_RESPONSE_TYPES.join(', ')})`)
      continue
    }
    if (!isObject(value)) {
      r.fail(p, 'expected an object with statusCode, responseParameters, responseTemplates')
      continue
    }
    const statusCode = r.integer(value, 'statusCode', p, 100, 599)
    const headers: [string, string][] = []
    for (const [name, expr] of r.stringMap(value, 'responseParameters', p) ?? []) {
      if (!name.startsWith(HEADER_PREFIX)) {
        r.fail(
          childPointer(childPointer(p, 'responseParameters'), name),
          `expected a key of the form ${HEADER_PREFIX}<Name>`,
        )
        continue
      }
      headers.push([name.slice(HEADER_PREFIX.length), expr])
    }
    out.set(type as GatewayResponseType, {
      statusCode,
      headers,
      templates: r.stringMap(value, 'responseTemplates', p) ?? [],
    })
  }
  return out
}
