/**
 * Turns a forcegate REST API document into what API Gateway's importer takes: OpenAPI 3.0.1 with
 * AWS's extensions only. Pure: the document and the facts of forcegate.yaml in, the document and
 * what it needs (functions, authorizers) out. Whatever AWS cannot express is refused by name, or
 * listed as excluded when the caller asked for that; nothing is dropped silently.
 */
import { parseFunctionRef } from '../aws/function-ref.ts'
import { childPointer } from '../config/source-document.ts'
import { authorizerFunctionName, lambdaInvokeUri } from './aws-arns.ts'
import { importerProblems } from './importer-rules.ts'
import { forEachSchema, isRecord, type JsonRecord, OPERATION_METHODS } from './openapi-walk.ts'

export interface ExportFacts {
  /** forcegate.yaml serves the developer portal (browser pages with a session). */
  readonly portal: boolean
  /** forcegate.yaml serves the partners admin API. */
  readonly partnersAdmin: boolean
  /** List what cannot be exported as excluded instead of refusing the export. */
  readonly excludeUnexportable: boolean
}

/** Something of the project AWS cannot run, named so the user can find it. */
export interface Unexportable {
  readonly what: string
  readonly pointer: string
  readonly reason: string
}

export interface SalesforceAuthorizer {
  readonly scheme: string
  readonly functionName: string
  /** The scheme's `x-forcegate-salesforce` as written: the authorizer enforces it. */
  readonly settings: JsonRecord
}

/** What the authorizer must decide per method: API Gateway gives it the method, not the scopes. */
export interface AuthorizedRoute {
  readonly method: string
  readonly resourcePath: string
  readonly scheme: string
  readonly scopes: readonly string[]
}

export interface AwsExport {
  readonly document: JsonRecord
  /** Lambda functions of the integrations (and of Lambda authorizers already in AWS's form). */
  readonly functions: readonly string[]
  readonly authorizers: readonly SalesforceAuthorizer[]
  readonly routes: readonly AuthorizedRoute[]
  readonly excluded: readonly Unexportable[]
  /** Annotations removed because the importer refuses them (no effect on decisions). */
  readonly adjusted: readonly string[]
}

export class ExportRefused extends Error {
  readonly items: readonly Unexportable[]
  constructor(items: readonly Unexportable[]) {
    super(items.map((i) => `${i.what} (${i.pointer || 'forcegate.yaml'}): ${i.reason}`).join('\n'))
    this.name = 'ExportRefused'
    this.items = items
  }
}

const SALESFORCE = 'x-forcegate-salesforce'
const SESSION = 'x-forcegate-session'
const SALESFORCE_INTEGRATION = 'x-forcegate-salesforce-integration'
/** Annotations the importer refuses; removing them changes no decision. */
const ANNOTATIONS = ['example', 'default', 'readOnly']
/** Keywords that validate: dropping them would accept what forcegate refuses. */
const VALIDATING = ['discriminator', 'exclusiveMinimum', 'exclusiveMaximum']
const INT_FORMATS = ['int32', 'int64', 'decimal']

export function exportOpenApi(source: unknown, facts: ExportFacts): AwsExport {
  if (!isRecord(source))
    throw new ExportRefused([{ what: 'the document', pointer: '', reason: 'not an object' }])
  const doc = structuredClone(source)
  const refused: Unexportable[] = []
  const excludable: Unexportable[] = []
  const adjusted: string[] = []
  if (doc['x-amazon-apigateway-importexport-version'] !== undefined)
    throw new ExportRefused([
      {
        what: 'an HTTP API',
        pointer: '/x-amazon-apigateway-importexport-version',
        reason: 'export aws writes REST APIs (the Salesforce check is a REST REQUEST authorizer)',
      },
    ])
  if (facts.portal)
    excludable.push({
      what: 'the developer portal (/portal)',
      pointer: '',
      reason: 'it needs a browser session',
    })
  if (facts.partnersAdmin)
    excludable.push({
      what: 'the partners admin API (/_forcegate/partners)',
      pointer: '',
      reason: 'it is served by the gateway itself, with its partner store',
    })

  const components = isRecord(doc.components) ? doc.components : {}
  const schemes = isRecord(components.securitySchemes) ? components.securitySchemes : {}
  const authorizers: SalesforceAuthorizer[] = []
  const functions = new Set<string>()
  const unusable = new Map<string, string>()
  for (const [name, scheme] of Object.entries(schemes)) {
    if (!isRecord(scheme)) continue
    const at = childPointer('/components/securitySchemes', name)
    if (isRecord(scheme[SALESFORCE]) && scheme[SALESFORCE].require !== undefined) {
      unusable.set(name, 'who-may-call rules (require) are not enforced by the exported authorizer')
      delete schemes[name]
    } else if (isRecord(scheme[SALESFORCE])) {
      const functionName = authorizerFunctionName(name)
      authorizers.push({ scheme: name, functionName, settings: scheme[SALESFORCE] })
      const ttl = scheme[SALESFORCE].cacheTtlSeconds
      schemes[name] = salesforceAuthorizerScheme(functionName, typeof ttl === 'number' ? ttl : 300)
      adjusted.push(`${at}: x-forcegate-salesforce → apiKey scheme with a REQUEST Lambda authorizer`)
    } else if (scheme[SESSION] !== undefined) {
      unusable.set(name, 'it needs a browser session')
      delete schemes[name]
    } else if (scheme.type === 'apiKey') {
      const authorizer = scheme['x-amazon-apigateway-authorizer']
      if (isRecord(authorizer) && typeof authorizer.authorizerUri === 'string') {
        const ref = parseFunctionRef(authorizer.authorizerUri)
        if (ref !== undefined) {
          functions.add(ref.name)
          authorizer.authorizerUri = lambdaInvokeUri(ref.name)
        }
      }
      for (const key of Object.keys(scheme))
        if (key.startsWith('x-forcegate-')) {
          delete scheme[key]
          adjusted.push(`${childPointer(at, key)}: removed (API Gateway has no such setting)`)
        }
    } else {
      unusable.set(name, `a ${String(scheme.type)} scheme: the REST importer takes apiKey schemes only`)
      delete schemes[name]
    }
  }

  const rootSecurity = Array.isArray(doc.security) ? doc.security : []
  delete doc.security
  const routes: AuthorizedRoute[] = []
  const paths = isRecord(doc.paths) ? doc.paths : {}
  for (const [path, item] of Object.entries(paths)) {
    if (!isRecord(item)) continue
    for (const method of OPERATION_METHODS) {
      const op = item[method]
      if (!isRecord(op)) continue
      const at = childPointer(childPointer('/paths', path), method)
      const what = `${method.toUpperCase()} ${path}`
      const problem = operationProblem(op, rootSecurity, unusable)
      if (problem !== undefined) {
        excludable.push({ what, pointer: at, reason: problem })
        delete item[method]
        continue
      }
      const requirement = (Array.isArray(op.security) ? op.security : rootSecurity)[0] as
        | Record<string, string[]>
        | undefined
      const [scheme, scopes] = Object.entries(requirement ?? {})[0] ?? []
      if (scheme !== undefined && authorizers.some((a) => a.scheme === scheme)) {
        routes.push({ method: method.toUpperCase(), resourcePath: path, scheme, scopes: scopes ?? [] })
        // The authorizer enforces the scopes; a Lambda authorizer's requirement lists none.
        op.security = [{ [scheme]: [] }]
      } else op.security = scheme === undefined ? [] : [{ [scheme]: scopes ?? [] }]
      rewriteIntegration(op, functions)
    }
    if (
      !OPERATION_METHODS.some((m) => item[m] !== undefined) &&
      Object.keys(item).every((k) => k === 'parameters')
    )
      delete paths[path]
  }

  forEachSchema(doc, (schema, pointer) => {
    for (const keyword of VALIDATING)
      if (schema[keyword] !== undefined)
        refused.push({
          what: `'${keyword}'`,
          pointer: childPointer(pointer, keyword),
          reason:
            'API Gateway models do not support it, and dropping it would accept more than forcegate does',
        })
    for (const keyword of ANNOTATIONS)
      if (schema[keyword] !== undefined) {
        delete schema[keyword]
        adjusted.push(`${childPointer(pointer, keyword)}: removed (not supported in models)`)
      }
    if (typeof schema.format === 'string' && INT_FORMATS.includes(schema.format)) {
      adjusted.push(`${childPointer(pointer, 'format')}: '${schema.format}' removed (not supported)`)
      delete schema.format
    }
  })

  if (authorizers.length > 0) answerDeniedAsForcegate(doc, adjusted)
  stripForeignExtensions(doc, '', adjusted)
  doc.openapi = '3.0.1'
  if (!facts.excludeUnexportable) refused.push(...excludable)
  if (refused.length > 0) throw new ExportRefused(refused)
  const problems = importerProblems(doc)
  if (problems.length > 0)
    throw new ExportRefused(problems.map((p) => ({ what: p.rule, pointer: p.pointer, reason: p.message })))
  return {
    document: doc,
    functions: [...functions].sort(),
    authorizers,
    routes,
    excluded: facts.excludeUnexportable ? excludable : [],
    adjusted,
  }
}

function salesforceAuthorizerScheme(functionName: string, ttl: number): JsonRecord {
  return {
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    'x-amazon-apigateway-authtype': 'custom',
    'x-amazon-apigateway-authorizer': {
      type: 'request',
      identitySource: 'method.request.header.Authorization',
      authorizerUri: lambdaInvokeUri(functionName),
      authorizerResultTtlInSeconds: Math.min(Math.max(Math.trunc(ttl), 0), 3600),
    },
  }
}

/** Why an operation cannot run on API Gateway, or undefined when it can. */
function operationProblem(
  op: JsonRecord,
  rootSecurity: readonly unknown[],
  unusable: ReadonlyMap<string, string>,
): string | undefined {
  if (op[SALESFORCE_INTEGRATION] !== undefined)
    return 'its Salesforce integration (x-forcegate-salesforce-integration) is run by the gateway'
  const security = Array.isArray(op.security) ? op.security : rootSecurity
  const names = security.flatMap((r) => (isRecord(r) ? Object.keys(r) : []))
  for (const name of names) {
    const why = unusable.get(name)
    if (why !== undefined) return `its security scheme '${name}': ${why}`
  }
  if (security.length > 1 || names.length > 1)
    return `it accepts ${names.length} security schemes; a REST method has one authorizer`
  return undefined
}

function rewriteIntegration(op: JsonRecord, functions: Set<string>): void {
  const integration = op['x-amazon-apigateway-integration']
  if (!isRecord(integration)) return
  if (
    (integration.type === 'aws_proxy' || integration.type === 'aws') &&
    typeof integration.uri === 'string'
  ) {
    const ref = parseFunctionRef(integration.uri)
    if (ref !== undefined) {
      functions.add(ref.name)
      integration.uri = lambdaInvokeUri(ref.name)
    }
  }
  for (const key of Object.keys(op)) if (key.startsWith('x-forcegate-')) delete op[key]
}

/** Other vendors' extensions mean nothing to API Gateway; the importer warns on none, we note them. */
function stripForeignExtensions(value: unknown, pointer: string, adjusted: string[]): void {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) stripForeignExtensions(v, childPointer(pointer, i), adjusted)
    return
  }
  if (!isRecord(value)) return
  for (const key of Object.keys(value)) {
    const at = childPointer(pointer, key)
    if (key.startsWith('x-amazon-apigateway-')) continue
    if (key.startsWith('x-')) {
      delete value[key]
      adjusted.push(`${at}: removed (not one of API Gateway's extensions)`)
    } else stripForeignExtensions(value[key], at, adjusted)
  }
}

/**
 * A Deny policy is API Gateway's ACCESS_DENIED ("User is not authorized to access this
 * resource"); forcegate answers a missing scope or contract 403 {"message":"Forbidden"}. Unless
 * the document customises that response itself, the export makes AWS answer as forcegate does.
 */
function answerDeniedAsForcegate(doc: JsonRecord, adjusted: string[]): void {
  const key = 'x-amazon-apigateway-gateway-responses'
  const responses = isRecord(doc[key]) ? doc[key] : {}
  if (responses.ACCESS_DENIED !== undefined) return
  responses.ACCESS_DENIED = {
    statusCode: 403,
    responseTemplates: { 'application/json': '{"message":"Forbidden"}' },
  }
  doc[key] = responses
  adjusted.push(`/${key}/ACCESS_DENIED: answers 403 {"message":"Forbidden"} as forcegate does`)
}
