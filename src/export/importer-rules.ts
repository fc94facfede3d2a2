/**
 * The rules API Gateway's REST importer applies to an OpenAPI document, as AWS documents them
 * (import-api, known issues, errors and warnings): checked here because an import with
 * FailOnWarnings rolls back on any of them, and because a scheme AWS does not map may leave a
 * method with no authorizer at all. The exporter runs this on its own output.
 */
import { childPointer } from '../config/source-document.ts'
import { forEachSchema, isRecord, OPERATION_METHODS } from './openapi-walk.ts'

export type ImporterRule =
  | 'openapi-version'
  | 'api-key-schemes-only'
  | 'lambda-authorizer'
  | 'security-on-every-operation'
  | 'one-authorizer-per-operation'
  | 'unsupported-keyword'
  | 'aws-extensions-only'
  | 'path-segments'
  | 'document-size'

export interface ImporterProblem {
  readonly rule: ImporterRule
  readonly pointer: string
  readonly message: string
}

/** Keywords the REST importer does not support in models (a warning, so a failed import). */
export const UNSUPPORTED_SCHEMA_KEYWORDS: readonly string[] = [
  'discriminator',
  'example',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'readOnly',
  'default',
]
export const UNSUPPORTED_FORMATS: readonly string[] = ['int32', 'int64', 'decimal']

const MAX_DOCUMENT_BYTES = 6 * 1024 * 1024
const AUTHORIZER_TYPES = new Set(['request', 'token', 'cognito_user_pools'])
/** A path segment: literal characters AWS accepts, or one whole `{param}` / `{proxy+}`. */
const SEGMENT = /^(?:[A-Za-z0-9_\-.,:]+|\{[A-Za-z0-9_\-.]+\+?\})$/

export function importerProblems(doc: unknown): ImporterProblem[] {
  const problems: ImporterProblem[] = []
  const add = (rule: ImporterRule, pointer: string, message: string) =>
    problems.push({ rule, pointer, message })
  if (!isRecord(doc)) {
    add('openapi-version', '', 'the document is not an object')
    return problems
  }
  if (typeof doc.openapi !== 'string' || !/^3\.0\.\d+$/.test(doc.openapi))
    add('openapi-version', '/openapi', `API Gateway imports OpenAPI 3.0.x, found ${String(doc.openapi)}`)
  const size = Buffer.byteLength(JSON.stringify(doc))
  if (size > MAX_DOCUMENT_BYTES)
    add('document-size', '', `the document is ${size} bytes; API Gateway imports at most 6 MB`)
  checkExtensions(doc, '', add)
  const components = isRecord(doc.components) ? doc.components : {}
  const schemes = isRecord(components.securitySchemes) ? components.securitySchemes : {}
  for (const [name, scheme] of Object.entries(schemes)) {
    const pointer = childPointer('/components/securitySchemes', name)
    if (!isRecord(scheme) || scheme.type !== 'apiKey') {
      add('api-key-schemes-only', pointer, `scheme '${name}' must be of type apiKey`)
      continue
    }
    const authorizer = scheme['x-amazon-apigateway-authorizer']
    if (authorizer !== undefined) checkAuthorizer(name, pointer, authorizer, add)
  }
  const paths = isRecord(doc.paths) ? doc.paths : {}
  for (const [path, item] of Object.entries(paths)) {
    const pathPointer = childPointer('/paths', path)
    const segments = path.split('/').slice(1)
    if (!path.startsWith('/') || (path !== '/' && !segments.every((s) => SEGMENT.test(s))))
      add(
        'path-segments',
        pathPointer,
        `'${path}': segments may hold only A-Za-z0-9_-.,: or be one whole {param}`,
      )
    if (!isRecord(item)) continue
    for (const method of OPERATION_METHODS) {
      const op = item[method]
      if (!isRecord(op)) continue
      const opPointer = childPointer(pathPointer, method)
      const security = op.security
      if (!Array.isArray(security)) {
        add(
          'security-on-every-operation',
          opPointer,
          `${method.toUpperCase()} ${path} has no security of its own (the REST importer ignores the top-level one)`,
        )
        continue
      }
      const schemesUsed = security.flatMap((r) => (isRecord(r) ? Object.keys(r) : []))
      if (security.length > 1 || schemesUsed.length > 1)
        add(
          'one-authorizer-per-operation',
          childPointer(opPointer, 'security'),
          `${method.toUpperCase()} ${path} names ${schemesUsed.length} schemes; a REST method has one authorizer`,
        )
      for (const used of schemesUsed)
        if (schemes[used] === undefined)
          add('api-key-schemes-only', childPointer(opPointer, 'security'), `unknown scheme '${used}'`)
    }
  }
  forEachSchema(doc, (schema, pointer) => {
    for (const keyword of UNSUPPORTED_SCHEMA_KEYWORDS)
      if (schema[keyword] !== undefined)
        add('unsupported-keyword', childPointer(pointer, keyword), `'${keyword}' is not supported in models`)
    if (typeof schema.format === 'string' && UNSUPPORTED_FORMATS.includes(schema.format))
      add(
        'unsupported-keyword',
        childPointer(pointer, 'format'),
        `format '${schema.format}' is not supported`,
      )
  })
  return problems
}

function checkAuthorizer(
  name: string,
  pointer: string,
  authorizer: unknown,
  add: (rule: ImporterRule, pointer: string, message: string) => void,
): void {
  const at = childPointer(pointer, 'x-amazon-apigateway-authorizer')
  if (
    !isRecord(authorizer) ||
    typeof authorizer.type !== 'string' ||
    !AUTHORIZER_TYPES.has(authorizer.type)
  ) {
    add(
      'lambda-authorizer',
      at,
      `scheme '${name}': authorizer type must be token, request or cognito_user_pools`,
    )
    return
  }
  if (authorizer.type === 'cognito_user_pools') return
  if (typeof authorizer.authorizerUri !== 'string' || !authorizer.authorizerUri.includes(':lambda:path/'))
    add(
      'lambda-authorizer',
      childPointer(at, 'authorizerUri'),
      `scheme '${name}': authorizerUri must invoke a Lambda function`,
    )
  if (authorizer.type === 'request' && typeof authorizer.identitySource !== 'string')
    add(
      'lambda-authorizer',
      childPointer(at, 'identitySource'),
      `scheme '${name}': a request authorizer needs identitySource`,
    )
  const ttl = authorizer.authorizerResultTtlInSeconds
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > 3600))
    add(
      'lambda-authorizer',
      childPointer(at, 'authorizerResultTtlInSeconds'),
      `scheme '${name}': TTL must be 0 to 3600`,
    )
}

function checkExtensions(
  value: unknown,
  pointer: string,
  add: (rule: ImporterRule, pointer: string, message: string) => void,
): void {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) checkExtensions(v, childPointer(pointer, i), add)
    return
  }
  if (!isRecord(value)) return
  for (const [key, child] of Object.entries(value)) {
    const at = childPointer(pointer, key)
    if (key.startsWith('x-') && !key.startsWith('x-amazon-apigateway-'))
      add('aws-extensions-only', at, `'${key}' is not one of API Gateway's extensions`)
    // Vendor extensions' own contents (mapping templates, responses) are AWS's to read.
    if (!key.startsWith('x-')) checkExtensions(child, at, add)
  }
}
