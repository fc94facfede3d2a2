import { type ApiDialect, dialectOfDocument } from '../../dialect/api-dialect.ts'
import { type FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import { nearestKey } from '../nearest-key.ts'
import { childPointer } from '../source-document.ts'
import {
  AWS_EXTENSION_NAMES,
  awsExtension,
  type ExtensionSpec,
  type FieldSpec,
  type Fields,
} from './aws-extensions.ts'

const PREFIX = 'x-amazon-apigateway-'
const ANY = 'x-amazon-apigateway-any-method'

/**
 * Strict documents: every `x-amazon-apigateway-*` key anywhere in the document is one AWS
 * defines, and every field inside one is a field AWS defines for it. A typo is reported with
 * its pointer and the nearest valid name; an extension or field AWS accepts that forcegate
 * does not serve yet is reported as such. Problems go to `r`, so one run shows them all.
 */
export function checkExtensions(r: FieldReader, root: JsonObject): void {
  walk(r, root, '', dialectOfDocument(root))
}

function walk(r: FieldReader, node: unknown, pointer: string, dialect: ApiDialect): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) walk(r, node[i], childPointer(pointer, i), dialect)
    return
  }
  if (!isObject(node)) return
  for (const [key, value] of Object.entries(node)) {
    const p = childPointer(pointer, key)
    if (!key.startsWith(PREFIX)) walk(r, value, p, dialect)
    else if (checkExtension(r, key, value, p, dialect) && key === ANY) walk(r, value, p, dialect)
  }
}

/** Whether the extension is one AWS defines (its value may then be read further). */
function checkExtension(
  r: FieldReader,
  name: string,
  value: unknown,
  pointer: string,
  dialect: ApiDialect,
): boolean {
  const spec = awsExtension(name)
  if (spec === undefined) {
    r.fail(pointer, `is not an API Gateway extension${hint(name, AWS_EXTENSION_NAMES, PREFIX)}`)
    return false
  }
  if (name === 'x-amazon-apigateway-cors' && !dialect.corsExtension) {
    r.fail(
      pointer,
      'belongs to HTTP APIs (documents with x-amazon-apigateway-importexport-version); a REST API answers preflights with an OPTIONS method: a mock integration whose response sets method.response.header.Access-Control-Allow-* parameters',
    )
    return true
  }
  if (spec.support === 'unsupported') {
    r.fail(pointer, `is an API Gateway extension that forcegate does not support yet: ${spec.note}`)
    return true
  }
  checkValue(r, spec, value, pointer, spec)
  return true
}

function checkValue(
  r: FieldReader,
  spec: FieldSpec,
  value: unknown,
  pointer: string,
  ext: ExtensionSpec,
): void {
  if (spec.unsupportedValues !== undefined && typeof value === 'string') {
    const lower = value.toLowerCase()
    if (spec.unsupportedValues.some((v) => v.toLowerCase() === lower))
      r.fail(pointer, `${value} is valid on AWS but not supported by forcegate yet`)
  }
  if (!isObject(value)) return
  if (spec.fields !== undefined) checkFields(r, spec.fields, value, pointer, ext)
  if (spec.entries !== undefined)
    for (const [name, entry] of Object.entries(value))
      if (isObject(entry)) checkFields(r, spec.entries, entry, childPointer(pointer, name), ext)
}

function checkFields(
  r: FieldReader,
  fields: Fields,
  obj: JsonObject,
  pointer: string,
  ext: ExtensionSpec,
): void {
  for (const [key, value] of Object.entries(obj)) {
    const p = childPointer(pointer, key)
    const field = fields[key]
    if (field === undefined) {
      // $ref stands for the whole object (shared integrations); other x- keys are not AWS's fields.
      if (key === '$ref' || (key.startsWith('x-') && !key.startsWith(PREFIX))) continue
      r.fail(p, `is not a field of ${ext.name}${hint(key, Object.keys(fields))}`)
    } else if (field.support === 'unsupported') {
      r.fail(p, `is a field of ${ext.name} that forcegate does not support yet`)
    } else checkValue(r, field, value, p, ext)
  }
}

function hint(key: string, known: Iterable<string>, prefix = ''): string {
  const near = nearestKey(key, known, prefix)
  return near === undefined ? '' : ` (did you mean \`${near}\`?)`
}
