import { type FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import { childPointer } from '../source-document.ts'
import type { Fail, Intrinsics } from './resolve-intrinsics.ts'

export const API_KEY = 'AWS::ApiGateway::ApiKey'

/**
 * The keys a REST API with `ApiKeyRequired` accepts: the template's `AWS::ApiGateway::ApiKey`
 * resources by their `Value`. A key AWS would generate (no `Value`, or the one a
 * `UsagePlan.CreateUsagePlan` makes) gets a value for this run, named at start-up since the
 * caller must send it; so does an API that requires keys and declares none.
 */
export function samApiKeys(
  notes: FieldReader,
  resources: JsonObject,
  cfn: Intrinsics,
  fail: Fail,
  auth: JsonObject,
  authPointer: string,
  needed: boolean,
  newKey: () => string,
): string[] {
  const keys: string[] = []
  const generated = (pointer: string, what: string): void => {
    const value = newKey()
    keys.push(value)
    if (needed) notes.fail(pointer, `${what}: this run accepts x-api-key: ${value}`)
  }
  for (const [id, res] of Object.entries(resources)) {
    if (!isObject(res) || res.Type !== API_KEY) continue
    const p = childPointer(childPointer('/Resources', id), 'Properties')
    const props = isObject(res.Properties) ? res.Properties : {}
    const value =
      props.Value === undefined ? undefined : cfn.resolve(props.Value, childPointer(p, 'Value'), fail)
    if (typeof value === 'string') keys.push(value)
    else generated(p, `API key ${id} has no Value (AWS generates one)`)
  }
  const plan = isObject(auth.UsagePlan) ? auth.UsagePlan : {}
  if (plan.CreateUsagePlan === 'PER_API' || plan.CreateUsagePlan === 'SHARED')
    generated(childPointer(authPointer, 'UsagePlan'), 'the usage plan creates an API key AWS gives a value')
  if (keys.length === 0 && needed)
    generated(authPointer, 'ApiKeyRequired with no AWS::ApiGateway::ApiKey in the template')
  return keys
}
