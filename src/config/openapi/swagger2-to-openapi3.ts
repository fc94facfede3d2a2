import { isObject, type Json, type JsonObject } from '../field-reader.ts'
import { childPointer, pointerSegments, type SourceDocument } from '../source-document.ts'

/**
 * A Swagger 2.0 document as the OpenAPI 3 document the reader understands. Pointers into it
 * lead back to the file as written: `sourcePointer` for messages, `lineOf` for lines.
 */
export interface ConvertedDocument extends SourceDocument {
  readonly sourcePointer: (pointer: string) => string
  /** What the conversion itself found wrong, at pointers into the file as written. */
  readonly conversionProblems: readonly {
    readonly pointer: string
    readonly expected: string
    readonly line: number | undefined
  }[]
}

const OPERATIONS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch'])
const ANY = 'x-amazon-apigateway-any-method'
const AWS = 'x-amazon-apigateway-'
/** A non-body parameter's (and a header's) JSON Schema keywords, which OpenAPI 3 moves under `schema`. */
const SCHEMA_KEYS = (
  'type format items default maximum exclusiveMaximum minimum exclusiveMinimum maxLength ' +
  'minLength pattern maxItems minItems uniqueItems enum multipleOf'
).split(' ')
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data']
const OAUTH2_FLOWS: Record<string, string> = {
  implicit: 'implicit',
  password: 'password',
  application: 'clientCredentials',
  accessCode: 'authorizationCode',
}

/** `swagger: 2.0` unquoted in YAML is the number 2, which templates often write. */
export function isSwagger2(data: unknown): boolean {
  return isObject(data) && (data.swagger === '2.0' || data.swagger === 2) && data.openapi === undefined
}

/** The document as OpenAPI 3: a Swagger 2.0 one converted, any other as it is. */
export function openApi3Document(doc: SourceDocument): SourceDocument {
  return isSwagger2(doc.data) ? swagger2ToOpenApi3(doc) : doc
}

export function isConverted(doc: SourceDocument): doc is ConvertedDocument {
  return typeof (doc as Partial<ConvertedDocument>).sourcePointer === 'function'
}

/**
 * Converts once, at read time, as API Gateway imports Swagger 2.0: `definitions`, `parameters`,
 * `responses`, `securityDefinitions` become `components`, a `body` or `formData` parameter the
 * `requestBody` (per `consumes`), a response's `schema` its `content` (per `produces`). As in
 * API Gateway's default import (`basepath=ignore`), `basePath` is no prefix of the routes (it is
 * kept in `servers`, with `host`). `x-amazon-apigateway-*` values are copied untouched.
 */
export function swagger2ToOpenApi3(doc: SourceDocument): ConvertedDocument {
  const root = doc.data as JsonObject
  const moved = new Map<string, string>()
  const problems: { pointer: string; expected: string }[] = []
  const c = new Converter(root, moved, problems)
  const rewriteRefs = refRewriter(root)
  const out: JsonObject = {}
  const components: JsonObject = {}
  moved.set('/openapi', '/swagger')
  moved.set('/components', '')
  for (const [key, value] of Object.entries(root)) {
    if (key === 'swagger') out.openapi = '3.0.1'
    else if (key === 'host') {
      const scheme =
        Array.isArray(root.schemes) && typeof root.schemes[0] === 'string' ? root.schemes[0] : 'https'
      const base = typeof root.basePath === 'string' && root.basePath !== '/' ? root.basePath : ''
      out.servers = [{ url: `${scheme}://${String(value)}${base}` }]
      moved.set('/servers', '/host')
    } else if (key === 'basePath' || key === 'schemes' || key === 'consumes' || key === 'produces') continue
    else if (key === 'definitions' && isObject(value)) {
      components.schemas = rewriteRefs(value) as JsonObject
      moved.set('/components/schemas', '/definitions')
    } else if (key === 'parameters' && isObject(value)) {
      const params: JsonObject = {}
      for (const [name, param] of Object.entries(value))
        if (!isObject(param) || (param.in !== 'body' && param.in !== 'formData'))
          params[name] = c.parameter(
            param,
            childPointer('/components/parameters', name),
            childPointer('/parameters', name),
          )
      components.parameters = params
      moved.set('/components/parameters', '/parameters')
    } else if (key === 'responses' && isObject(value)) {
      const responses: JsonObject = {}
      for (const [name, response] of Object.entries(value))
        responses[name] = c.response(response, childPointer('/components/responses', name), root.produces)
      components.responses = responses
      moved.set('/components/responses', '/responses')
    } else if (key === 'securityDefinitions' && isObject(value)) {
      const schemes: JsonObject = {}
      for (const [name, scheme] of Object.entries(value)) schemes[name] = securityScheme(scheme)
      components.securitySchemes = schemes
      moved.set('/components/securitySchemes', '/securityDefinitions')
    } else if (key === 'paths' && isObject(value)) {
      const paths: JsonObject = {}
      for (const [path, item] of Object.entries(value))
        paths[path] = isObject(item) ? c.pathItem(item, childPointer('/paths', path)) : item
      out.paths = paths
    } else out[key] = key.startsWith(AWS) ? value : rewriteRefs(value)
  }
  if (Object.keys(components).length > 0) out.components = components
  const sourcePointer = (pointer: string): string => {
    const segments = pointerSegments(pointer)
    for (let depth = segments.length; depth > 0; depth--) {
      const prefix = segments.slice(0, depth).reduce<string>(childPointer, '')
      const at = moved.get(prefix)
      if (at !== undefined) return segments.slice(depth).reduce<string>(childPointer, at)
    }
    return pointer
  }
  return {
    file: doc.file,
    data: out,
    lineOf: (pointer) => doc.lineOf(sourcePointer(pointer)),
    sourcePointer,
    conversionProblems: problems.map((p) => ({ ...p, line: doc.lineOf(p.pointer) })),
  }
}

class Converter {
  readonly #root: JsonObject
  readonly #moved: Map<string, string>
  readonly #problems: { pointer: string; expected: string }[]
  readonly #rewrite: (node: Json) => Json

  constructor(
    root: JsonObject,
    moved: Map<string, string>,
    problems: { pointer: string; expected: string }[],
  ) {
    this.#rewrite = refRewriter(root)
    this.#root = root
    this.#moved = moved
    this.#problems = problems
  }

  pathItem(item: JsonObject, pointer: string): JsonObject {
    const out: JsonObject = {}
    // A path item's body parameter applies to its operations that declare none.
    const shared = Array.isArray(item.parameters) ? item.parameters : []
    for (const [key, value] of Object.entries(item)) {
      const p = childPointer(pointer, key)
      if (key === 'parameters' && Array.isArray(value)) {
        out.parameters = this.#parameters(value, p, p, undefined, true).parameters
      } else if ((OPERATIONS.has(key) || key === ANY) && isObject(value))
        out[key] = this.#operation(value, p, shared, childPointer(pointer, 'parameters'))
      else out[key] = key.startsWith(AWS) ? value : this.#rewrite(value)
    }
    return out
  }

  #operation(op: JsonObject, pointer: string, shared: Json[], sharedPointer: string): JsonObject {
    const out: JsonObject = {}
    const consumes = stringList(op.consumes) ?? stringList(this.#root.consumes) ?? ['application/json']
    const own = Array.isArray(op.parameters) ? op.parameters : []
    const opParams = this.#parameters(own, childPointer(pointer, 'parameters'), pointer, consumes, true)
    // The path item's list was converted (and its mistakes reported) with the path item.
    const requestBody =
      opParams.requestBody ??
      (shared.length > 0
        ? this.#parameters(shared, sharedPointer, pointer, consumes, false).requestBody
        : undefined)
    for (const [key, value] of Object.entries(op)) {
      const p = childPointer(pointer, key)
      if (key === 'consumes' || key === 'produces' || key === 'schemes') continue
      if (key === 'parameters' && Array.isArray(value)) {
        if (opParams.parameters.length > 0) out.parameters = opParams.parameters
      } else if (key === 'responses' && isObject(value)) {
        const responses: JsonObject = {}
        const produces = op.produces ?? this.#root.produces
        for (const [code, response] of Object.entries(value))
          responses[code] = this.response(response, childPointer(p, code), produces)
        out.responses = responses
      } else out[key] = key.startsWith(AWS) ? value : this.#rewrite(value)
    }
    if (requestBody !== undefined) out.requestBody = requestBody
    return out
  }

  /**
   * A list of Swagger parameters: path, query and header ones as OpenAPI 3 parameters, a body
   * or the form fields as the operation's request body (when `consumes` is given).
   */
  #parameters(
    list: Json[],
    pointer: string,
    opPointer: string,
    consumes: string[] | undefined,
    report: boolean,
  ): { parameters: Json[]; requestBody: JsonObject | undefined } {
    const parameters: Json[] = []
    const bodyPointer = childPointer(opPointer, 'requestBody')
    let body: { param: JsonObject; at: string } | undefined
    const form: { param: JsonObject; at: string }[] = []
    list.forEach((raw, i) => {
      const at = childPointer(pointer, i)
      const { param, source } = this.#resolve(raw, at)
      if (param?.in === 'body') {
        if (body !== undefined || form.length > 0) {
          if (report) this.#fail(at, bodyConflict(form.length > 0))
        } else body = { param, at: source }
        return
      }
      if (param?.in === 'formData') {
        if (body === undefined) form.push({ param, at: source })
        else if (report) this.#fail(at, bodyConflict(true))
        return
      }
      const target = childPointer(pointer, parameters.length)
      if (target !== at) this.#moved.set(target, at)
      parameters.push(this.parameter(raw, target, at))
    })
    if (consumes === undefined) return { parameters, requestBody: undefined }
    if (body !== undefined) {
      const { param, at } = body
      const content: JsonObject = {}
      this.#moved.set(bodyPointer, at)
      this.#moved.set(childPointer(bodyPointer, 'content'), at)
      for (const type of consumes) {
        content[type] = { schema: this.#rewrite(param.schema ?? {}) }
        const cp = childPointer(childPointer(bodyPointer, 'content'), type)
        this.#moved.set(cp, at)
        this.#moved.set(childPointer(cp, 'schema'), childPointer(at, 'schema'))
      }
      return { parameters, requestBody: withOptional({ content }, param, ['description', 'required']) }
    }
    if (form.length === 0) return { parameters, requestBody: undefined }
    const properties: JsonObject = {}
    const required: string[] = []
    for (const { param } of form) {
      const name = String(param.name)
      const schema = foldSchema(param)
      properties[name] = schema.type === 'file' ? { ...schema, type: 'string', format: 'binary' } : schema
      if (param.required === true) required.push(name)
    }
    const schema: JsonObject = { type: 'object', properties, ...(required.length > 0 ? { required } : {}) }
    const types = consumes.filter((t) => FORM_TYPES.includes(t.toLowerCase()))
    const content: JsonObject = {}
    for (const type of types.length > 0 ? types : [FORM_TYPES[0]!]) {
      content[type] = { schema }
      const sp = childPointer(childPointer(childPointer(bodyPointer, 'content'), type), 'schema')
      for (const { param, at } of form)
        this.#moved.set(childPointer(childPointer(sp, 'properties'), String(param.name)), at)
    }
    this.#moved.set(bodyPointer, pointer)
    this.#moved.set(childPointer(bodyPointer, 'content'), pointer)
    return { parameters, requestBody: { content } }
  }

  /** A non-body parameter: its type and constraints become its `schema`. */
  parameter(raw: Json, pointer: string, source: string): Json {
    if (!isObject(raw)) return raw
    if (typeof raw.$ref === 'string') return this.#rewrite(raw)
    if (raw.schema === undefined && raw.type !== undefined)
      this.#moved.set(childPointer(pointer, 'schema'), source)
    const out: JsonObject = {}
    for (const [key, value] of Object.entries(raw))
      if (!SCHEMA_KEYS.includes(key) && key !== 'collectionFormat')
        out[key] = key.startsWith(AWS) ? value : this.#rewrite(value)
    if (raw.type !== undefined) out.schema = foldSchema(raw)
    if (raw.collectionFormat === 'multi') out.explode = true
    else if (raw.collectionFormat !== undefined && raw.in === 'query') out.explode = false
    return out
  }

  /** A response: its `schema` as `content` per `produces`, its headers' types as schemas. */
  response(raw: Json, pointer: string, produces: Json | undefined): Json {
    if (!isObject(raw)) return raw
    if (typeof raw.$ref === 'string') return this.#rewrite(raw)
    const out: JsonObject = {}
    for (const [key, value] of Object.entries(raw)) {
      if (key === 'schema' || key === 'examples') continue
      if (key === 'headers' && isObject(value)) {
        const headers: JsonObject = {}
        for (const [name, header] of Object.entries(value)) {
          const hp = childPointer(childPointer(pointer, 'headers'), name)
          if (!isObject(header)) headers[name] = header
          else {
            this.#moved.set(childPointer(hp, 'schema'), hp)
            headers[name] = withOptional({ schema: foldSchema(header) }, header, ['description'])
          }
        }
        out.headers = headers
      } else out[key] = key.startsWith(AWS) ? value : this.#rewrite(value)
    }
    const examples = isObject(raw.examples) ? raw.examples : {}
    if (raw.schema !== undefined || Object.keys(examples).length > 0) {
      const content: JsonObject = {}
      const types = raw.schema === undefined ? [] : (stringList(produces) ?? ['application/json'])
      for (const type of new Set([...types, ...Object.keys(examples)])) {
        const media: JsonObject = {}
        if (raw.schema !== undefined) media.schema = this.#rewrite(raw.schema)
        if (examples[type] !== undefined) media.example = examples[type]
        content[type] = media
        const cp = childPointer(childPointer(pointer, 'content'), type)
        this.#moved.set(cp, pointer)
        this.#moved.set(childPointer(cp, 'schema'), childPointer(pointer, 'schema'))
      }
      out.content = content
      this.#moved.set(childPointer(pointer, 'content'), pointer)
    }
    return out
  }

  /** The parameter a `#/parameters/<name>` reference names, and where it is written. */
  #resolve(raw: Json, pointer: string): { param: JsonObject | undefined; source: string } {
    if (!isObject(raw)) return { param: undefined, source: pointer }
    const name = typeof raw.$ref === 'string' ? /^#\/parameters\/([^/]+)$/.exec(raw.$ref)?.[1] : undefined
    if (name === undefined) return { param: raw, source: pointer }
    const shared = isObject(this.#root.parameters) ? this.#root.parameters[name] : undefined
    if (!isObject(shared) || (shared.in !== 'body' && shared.in !== 'formData'))
      return { param: raw, source: pointer }
    return { param: shared, source: childPointer('/parameters', name) }
  }

  #fail(pointer: string, expected: string): void {
    this.#problems.push({ pointer, expected })
  }
}

function bodyConflict(mixed: boolean): string {
  return mixed
    ? 'expected either a body parameter or formData parameters, not both'
    : 'expected at most one body parameter per operation'
}

/**
 * A security definition as a security scheme: `apiKey` (how API Gateway writes its Lambda and
 * Cognito authorizers) is the same in both versions; `basic` becomes `http`, `oauth2` its flows.
 */
function securityScheme(raw: Json): Json {
  if (!isObject(raw)) return raw
  if (raw.type === 'basic') return { ...raw, type: 'http', scheme: 'basic' }
  if (raw.type === 'oauth2') {
    const { flow, authorizationUrl, tokenUrl, scopes, ...rest } = raw
    const name = typeof flow === 'string' ? (OAUTH2_FLOWS[flow] ?? flow) : 'implicit'
    const spec: JsonObject = { scopes: scopes ?? {} }
    if (authorizationUrl !== undefined) spec.authorizationUrl = authorizationUrl
    if (tokenUrl !== undefined) spec.tokenUrl = tokenUrl
    return { ...rest, flows: { [name]: spec } }
  }
  return raw
}

function foldSchema(raw: JsonObject): JsonObject {
  const schema: JsonObject = {}
  for (const key of SCHEMA_KEYS) if (raw[key] !== undefined) schema[key] = raw[key] as Json
  return schema
}

function withOptional(base: JsonObject, from: JsonObject, keys: string[]): JsonObject {
  for (const key of keys) if (from[key] !== undefined) base[key] = from[key]
  return base
}

function stringList(value: Json | undefined): string[] | undefined {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')
    ? (value as string[])
    : undefined
}

const REFS: Record<string, string> = {
  definitions: 'schemas',
  parameters: 'parameters',
  responses: 'responses',
}

/**
 * A copy whose local references name the components they moved to (extensions untouched).
 * One to nothing stays as written, so that its message quotes what the user wrote.
 */
function refRewriter(root: JsonObject): (node: Json) => Json {
  const rewrite = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(rewrite)
    if (!isObject(node)) return node
    const out: JsonObject = {}
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out[key] = moveRef(root, value)
      else out[key] = key.startsWith(AWS) ? value : rewrite(value)
    }
    return out
  }
  return rewrite
}

function moveRef(root: JsonObject, ref: string): string {
  const match = /^#\/(definitions|parameters|responses)\/([^/]+)(.*)$/.exec(ref)
  if (match === null) return ref
  const [, section, name, rest] = match as unknown as [string, string, string, string]
  const decoded = name.replaceAll('~1', '/').replaceAll('~0', '~')
  const target = root[section]
  if (!isObject(target) || !Object.hasOwn(target, decoded)) return ref
  return `#/components/${REFS[section]}/${name}${rest}`
}
