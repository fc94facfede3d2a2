import { describe, type FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import { childPointer } from '../source-document.ts'

/**
 * The API keys of `provider.apiGateway.apiKeys` (or the older `provider.apiKeys`): a name (AWS
 * generates its value), `{ name, value }`, `{ value }`, or a usage plan's list of those
 * (`- free: [...]`). A key without a value gets one generated for this run, and since the
 * caller must send it, it is named at start-up with its value, as serverless-offline prints it.
 * `private: true` routes with no keys at all get one such key.
 */
export function readApiKeys(
  r: FieldReader,
  notes: FieldReader,
  provider: JsonObject,
  anyPrivate: boolean,
  newKey: () => string,
): string[] {
  const apiGateway = isObject(provider.apiGateway) ? provider.apiGateway : {}
  const [raw, pointer] =
    apiGateway.apiKeys !== undefined
      ? [apiGateway.apiKeys, '/provider/apiGateway/apiKeys']
      : [provider.apiKeys, '/provider/apiKeys']
  const keys: string[] = []
  const generated = (name: string | undefined, p: string): void => {
    const value = newKey()
    keys.push(value)
    if (!anyPrivate) return
    const what =
      name === undefined
        ? 'private: true routes need an API key and none is configured'
        : `API key ${name} has no value`
    notes.fail(p, `${what}: this run accepts x-api-key: ${value} (give the key a value to keep one)`)
  }
  const one = (item: unknown, p: string): void => {
    const entries = isObject(item) ? Object.entries(item) : []
    if (typeof item === 'string') generated(item, p)
    else if (entries.length === 1 && Array.isArray(entries[0]![1])) {
      const [plan, list] = entries[0]!
      for (const [i, k] of (list as unknown[]).entries()) one(k, childPointer(childPointer(p, plan), i))
    } else if (isObject(item) && typeof item.value === 'string') keys.push(item.value)
    else if (isObject(item) && (item.value === undefined || item.value === null))
      generated(typeof item.name === 'string' ? item.name : undefined, p)
    else
      r.fail(
        p,
        `expected a key name, { name, value } or a usage plan's list of keys, found ${describe(item)}`,
      )
  }
  if (Array.isArray(raw)) for (const [i, item] of raw.entries()) one(item, childPointer(pointer, i))
  else if (raw !== undefined) r.fail(pointer, `expected a list of API keys, found ${describe(raw)}`)
  if (keys.length === 0 && anyPrivate) generated(undefined, '/provider')
  return keys
}
