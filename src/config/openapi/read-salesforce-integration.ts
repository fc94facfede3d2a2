/**
 * `x-forcegate-salesforce-integration`: forcegate's own extension for a route that writes to
 * Salesforce. It sits beside (instead of) `x-amazon-apigateway-integration`, so AWS's object
 * keeps exactly AWS's meaning and an exported document never carries a type AWS would refuse.
 */
import type { FieldReader, JsonObject } from '../field-reader.ts'
import { childPointer } from '../source-document.ts'
import type { LocatedText } from './mapping-integration-spec.ts'

export const SALESFORCE_INTEGRATION = 'x-forcegate-salesforce-integration'

export type SalesforceOperation = 'upsert' | 'create' | 'upload'
export type SalesforceCredential = 'caller' | 'integrationUser'

export interface SalesforceUploadSpec {
  /** Path parameter holding the record the file is published to (`FirstPublishLocationId`). */
  readonly linkToPathParameter: string
  readonly maxBytes: number
  /** Accepted media types of the file (the part's, or the raw body's); empty accepts any. */
  readonly contentTypes: readonly string[]
}

export interface SalesforceIntegrationSpec {
  readonly type: 'salesforce'
  readonly pointer: string
  /** Name of an org under `salesforce.orgs` in forcegate.yaml. */
  readonly org: string
  readonly credential: SalesforceCredential
  readonly operation: SalesforceOperation
  readonly sobject: string
  /** Upsert only: the external ID field records are matched by. */
  readonly externalIdField: string | undefined
  /** Sends `Sforce-Duplicate-Rule-Header: allowSave=true` (rules set to allow save past it). */
  readonly allowDuplicateSave: boolean
  /** Media type → template shaping the record (or the array of records) sent. */
  readonly requestTemplates: readonly LocatedText[]
  readonly upload: SalesforceUploadSpec | undefined
  readonly timeoutMs: number
}

const OPERATIONS: readonly SalesforceOperation[] = ['upsert', 'create', 'upload']
const CREDENTIALS: readonly SalesforceCredential[] = ['caller', 'integrationUser']
const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/
const DEFAULT_UPLOAD_BYTES = 50 * 1024 * 1024

export function readSalesforceIntegration(
  r: FieldReader,
  obj: JsonObject,
  pointer: string,
): SalesforceIntegrationSpec | undefined {
  const before = r.errors.length
  const org = r.string(obj, 'org', pointer, true)
  const credential = oneOf(r, obj, 'credential', pointer, CREDENTIALS)
  const operation = oneOf(r, obj, 'operation', pointer, OPERATIONS)
  const sobject =
    operation === 'upload' ? 'ContentVersion' : apiName(r, obj, 'sobject', pointer, operation !== undefined)
  const externalIdField =
    operation === 'upsert' ? apiName(r, obj, 'externalIdField', pointer, true) : undefined
  const timeoutMs = r.integer(obj, 'timeoutInMillis', pointer, 50, 300_000) ?? 29_000
  const allowDuplicateSave = r.boolean(obj, 'allowDuplicateSave', pointer) ?? false
  const templatesPointer = childPointer(pointer, 'requestTemplates')
  const requestTemplates = (r.stringMap(obj, 'requestTemplates', pointer) ?? []).map(([key, text]) => {
    const p = childPointer(templatesPointer, key)
    return { key, text, pointer: p, line: r.doc.lineOf(p) }
  })
  const upload = operation === 'upload' ? readUpload(r, obj, pointer) : undefined
  for (const key of Object.keys(obj))
    if (!KNOWN.has(key))
      r.fail(childPointer(pointer, key), `unknown member '${key}' of ${SALESFORCE_INTEGRATION}`)
  if (r.errors.length > before || org === undefined || credential === undefined || operation === undefined)
    return undefined
  return {
    type: 'salesforce',
    pointer,
    org,
    credential,
    operation,
    sobject: sobject ?? 'ContentVersion',
    externalIdField,
    allowDuplicateSave,
    requestTemplates,
    upload,
    timeoutMs,
  }
}

const KNOWN = new Set([
  'org',
  'credential',
  'operation',
  'sobject',
  'externalIdField',
  'allowDuplicateSave',
  'requestTemplates',
  'upload',
  'timeoutInMillis',
])

function readUpload(r: FieldReader, obj: JsonObject, pointer: string): SalesforceUploadSpec | undefined {
  const p = childPointer(pointer, 'upload')
  const raw = r.object(obj, 'upload', pointer, true)
  if (raw === undefined) return undefined
  const linkToPathParameter = r.string(raw, 'linkToPathParameter', p, true)
  const maxBytes = r.integer(raw, 'maxBytes', p, 1, 2 * 1024 ** 3) ?? DEFAULT_UPLOAD_BYTES
  const contentTypes = (r.stringArray(raw, 'contentTypes', p) ?? []).map((t) => t.toLowerCase())
  if (linkToPathParameter === undefined) return undefined
  return { linkToPathParameter, maxBytes, contentTypes }
}

function oneOf<T extends string>(
  r: FieldReader,
  obj: JsonObject,
  key: string,
  pointer: string,
  values: readonly T[],
): T | undefined {
  const raw = r.string(obj, key, pointer, true)
  if (raw === undefined) return undefined
  if ((values as readonly string[]).includes(raw)) return raw as T
  return r.fail(childPointer(pointer, key), `expected ${values.join(' or ')}, found '${raw}'`)
}

function apiName(
  r: FieldReader,
  obj: JsonObject,
  key: string,
  pointer: string,
  required: boolean,
): string | undefined {
  const raw = r.string(obj, key, pointer, required)
  if (raw === undefined || API_NAME.test(raw)) return raw
  return r.fail(childPointer(pointer, key), `expected a Salesforce API name, found '${raw}'`)
}
