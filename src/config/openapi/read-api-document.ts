import { type ApiDialect, dialectOfDocument } from '../../dialect/api-dialect.ts'
import { ConfigError } from '../../errors/config-error.ts'
import { describe, FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import { childPointer, type SourceDocument } from '../source-document.ts'
import type { ApiDefinition, IntegrationSpec, RouteSpec, SecuritySchemeSpec } from './api-definition.ts'
import { checkExtensions } from './check-extensions.ts'
import type { RequestValidationSpec } from './mapping-integration-spec.ts'
import { readCors } from './read-cors.ts'
import { readGatewayResponses } from './read-gateway-responses.ts'
import { readIntegration } from './read-integration.ts'
import { RequestValidatorReader } from './read-request-validation.ts'
import { readSalesforceIntegration, SALESFORCE_INTEGRATION } from './read-salesforce-integration.ts'
import { isConverted, openApi3Document } from './swagger2-to-openapi3.ts'

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const
const ANY = 'x-amazon-apigateway-any-method'
const INTEGRATION = 'x-amazon-apigateway-integration'
const SEGMENT = /^(?:[A-Za-z0-9._~!$&'()*,;=:@-]+|\{[A-Za-z0-9_.-]+\+?\})$/

/**
 * Validates an OpenAPI 3.0/3.1 document with API Gateway's extensions; a Swagger 2.0 one is
 * converted first, and its problems point into the file as written. Every problem is
 * collected into `problems` (only a document that is not an object at all throws), so that
 * compiling the routes can add its own: one run reports them all.
 */
export function readApiDocument(written: SourceDocument): ApiDefinition {
  if (!isObject(written.data))
    throw new ConfigError(written.file, '', 'expected an OpenAPI document (an object at the top level)')
  const doc = openApi3Document(written)
  const root = doc.data as JsonObject
  const r = new FieldReader(doc)
  const sourcePointer = isConverted(doc) ? doc.sourcePointer : (pointer: string) => pointer
  const version = root.openapi
  if (root.swagger !== undefined && version === undefined)
    r.fail(
      '/swagger',
      `expected swagger: '2.0' (or openapi: 3.0.x or 3.1.x), found ${describe(root.swagger)}`,
    )
  else if (typeof version !== 'string' || !/^3\.[01]\.\d+$/.test(version))
    r.fail('/openapi', 'expected openapi: 3.0.x or 3.1.x')
  const dialect = dialectOfDocument(root)
  const info = r.object(root, 'info', '', false)
  const title = (info && r.string(info, 'title', '/info', false)) ?? 'api'
  const components = r.object(root, 'components', '', false) ?? {}
  const securitySchemes = readSecuritySchemes(r, components, sourcePointer)
  const rootSecurity = readSecurity(r, root, '', securitySchemes) ?? []
  const routes: RouteSpec[] = []
  const validators = new RequestValidatorReader(r, root)
  const paths = r.object(root, 'paths', '', true) ?? {}
  for (const [path, item] of Object.entries(paths)) {
    const p = childPointer('/paths', path)
    if (!checkPath(r, path, p) || !isObject(item)) {
      if (!isObject(item)) r.fail(p, `expected a path item object, found ${describe(item)}`)
      continue
    }
    for (const key of [...METHODS, ANY] as const) {
      const op = item[key]
      if (op === undefined) continue
      const opPointer = childPointer(p, key)
      if (!isObject(op)) {
        r.fail(opPointer, `expected an operation object, found ${describe(op)}`)
        continue
      }
      const integration = readOperationIntegration(r, op, opPointer, dialect, components)
      const security = readSecurity(r, op, opPointer, securitySchemes)
      const method = key === ANY ? 'ANY' : key.toUpperCase()
      const isDefault = dialect.defaultRoute && op.isDefaultRoute === true
      routes.push({
        method: isDefault ? '$default' : method,
        resourcePath: path,
        pointer: opPointer,
        integration,
        security: security ?? rootSecurity,
        securityPointer: security === undefined ? '/security' : childPointer(opPointer, 'security'),
        validation: inSource(validators.read(item, p, op, opPointer), sourcePointer),
      })
    }
  }
  const binaryMediaTypes = r.stringArray(root, 'x-amazon-apigateway-binary-media-types', '') ?? []
  const gatewayResponses = readGatewayResponses(r, root)
  checkExtensions(r, root)
  return {
    file: doc.file,
    title,
    dialect,
    routes,
    gatewayResponses,
    binaryMediaTypes,
    cors: readCors(r, root),
    securitySchemes,
    problems: [
      ...(isConverted(doc)
        ? doc.conversionProblems.map((p) => new ConfigError(doc.file, p.pointer, p.expected, p.line))
        : []),
      ...r.errors.map((e) =>
        sourcePointer(e.pointer) === e.pointer
          ? e
          : new ConfigError(e.file, sourcePointer(e.pointer), e.expected, e.line),
      ),
    ],
  }
}

/** A Swagger 2.0 body's models are reported where the body parameter is written. */
function inSource(
  validation: RequestValidationSpec | undefined,
  sourcePointer: (pointer: string) => string,
): RequestValidationSpec | undefined {
  return validation === undefined
    ? undefined
    : { ...validation, modelsPointer: sourcePointer(validation.modelsPointer) }
}

function checkPath(r: FieldReader, path: string, pointer: string): boolean {
  if (!path.startsWith('/')) return r.fail(pointer, 'expected a path starting with /') ?? false
  const segments = path.split('/').slice(1)
  if (path === '/') return true
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!
    if (!SEGMENT.test(seg))
      return (
        r.fail(pointer, `expected segments that are literals, {name} or a final {name+}; '${seg}' is not`) ??
        false
      )
    if (seg.endsWith('+}') && i !== segments.length - 1)
      return r.fail(pointer, `expected the greedy variable ${seg} to be the last segment`) ?? false
  }
  return true
}

function readOperationIntegration(
  r: FieldReader,
  op: JsonObject,
  pointer: string,
  dialect: ApiDialect,
  components: JsonObject,
): IntegrationSpec | undefined {
  const raw = op[INTEGRATION]
  const p = childPointer(pointer, INTEGRATION)
  const salesforce = op[SALESFORCE_INTEGRATION]
  if (salesforce !== undefined) {
    const sp = childPointer(pointer, SALESFORCE_INTEGRATION)
    if (raw !== undefined)
      return r.fail(sp, `expected either ${INTEGRATION} or ${SALESFORCE_INTEGRATION}, not both`)
    if (!isObject(salesforce))
      return r.fail(sp, `expected an integration object, found ${describe(salesforce)}`)
    return readSalesforceIntegration(r, salesforce, sp)
  }
  if (raw === undefined)
    return r.fail(p, 'every operation needs an integration (x-amazon-apigateway-integration)')
  if (!isObject(raw)) return r.fail(p, `expected an integration object, found ${describe(raw)}`)
  const ref = raw.$ref
  if (typeof ref === 'string') {
    const name = /^#\/components\/x-amazon-apigateway-integrations\/([^/]+)$/.exec(ref)?.[1]
    const shared =
      name === undefined
        ? undefined
        : (components['x-amazon-apigateway-integrations'] as JsonObject | undefined)?.[name]
    if (!isObject(shared))
      return r.fail(
        childPointer(p, '$ref'),
        `expected a reference to #/components/x-amazon-apigateway-integrations/<name> that exists, found ${ref}`,
      )
    return readIntegration(r, shared, `/components/x-amazon-apigateway-integrations/${name}`, dialect)
  }
  return readIntegration(r, raw, p, dialect)
}

function readSecuritySchemes(
  r: FieldReader,
  components: JsonObject,
  sourcePointer: (pointer: string) => string,
): Map<string, SecuritySchemeSpec> {
  const out = new Map<string, SecuritySchemeSpec>()
  const schemes = r.object(components, 'securitySchemes', '/components', false) ?? {}
  for (const [name, value] of Object.entries(schemes)) {
    const pointer = childPointer('/components/securitySchemes', name)
    // Compiling reports a scheme's problems later, where it is written (securityDefinitions).
    if (!isObject(value)) r.fail(pointer, `expected a security scheme object, found ${describe(value)}`)
    else out.set(name, { name, pointer: sourcePointer(pointer), raw: value })
  }
  return out
}

function readSecurity(
  r: FieldReader,
  holder: JsonObject,
  pointer: string,
  schemes: ReadonlyMap<string, SecuritySchemeSpec>,
): RouteSpec['security'] | undefined {
  const raw = holder.security
  if (raw === undefined) return undefined
  const p = childPointer(pointer, 'security')
  if (!Array.isArray(raw)) return r.fail(p, 'expected a list of security requirement objects')
  const out: { scheme: string; scopes: string[] }[][] = []
  raw.forEach((req, i) => {
    const rp = childPointer(p, i)
    if (!isObject(req)) {
      r.fail(rp, 'expected a security requirement object ({ schemeName: [scopes] })')
      return
    }
    const all: { scheme: string; scopes: string[] }[] = []
    for (const [scheme, scopes] of Object.entries(req)) {
      if (!schemes.has(scheme)) {
        // A scheme defined but broken has its own message: this one would call it undefined.
        if (!isDeclaredScheme(r, scheme))
          r.fail(
            childPointer(rp, scheme),
            `expected the name of a scheme in components.securitySchemes; '${scheme}' is not defined`,
          )
      } else if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string'))
        r.fail(childPointer(rp, scheme), 'expected a list of scope strings')
      else all.push({ scheme, scopes: scopes as string[] })
    }
    out.push(all)
  })
  return out
}

function isDeclaredScheme(r: FieldReader, name: string): boolean {
  const components = isObject(r.doc.data) ? r.doc.data.components : undefined
  const schemes = isObject(components) ? components.securitySchemes : undefined
  return isObject(schemes) && Object.hasOwn(schemes, name)
}
