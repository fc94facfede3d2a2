import { describe, type FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import { childPointer } from '../source-document.ts'
import type { RequestValidationSpec } from './mapping-integration-spec.ts'

const VALIDATORS = 'x-amazon-apigateway-request-validators'
const VALIDATOR = 'x-amazon-apigateway-request-validator'

interface ValidatorSettings {
  readonly validateRequestBody: boolean
  readonly validateRequestParameters: boolean
}

/**
 * The document's named request validators (`x-amazon-apigateway-request-validators`) and its
 * default (`x-amazon-apigateway-request-validator` at the top level), read once.
 */
export class RequestValidatorReader {
  readonly #r: FieldReader
  readonly #root: JsonObject
  readonly #validators = new Map<string, ValidatorSettings>()
  readonly #default: { name: string; pointer: string } | undefined
  #defaultReported = false
  readonly #pathParameters = new Map<string, { path: string[]; querystring: string[]; header: string[] }>()

  constructor(r: FieldReader, root: JsonObject) {
    this.#r = r
    this.#root = root
    const named = r.object(root, VALIDATORS, '', false) ?? {}
    for (const [name, value] of Object.entries(named)) {
      const p = childPointer(childPointer('', VALIDATORS), name)
      if (!isObject(value)) {
        r.fail(p, 'expected an object with validateRequestBody and validateRequestParameters')
        continue
      }
      this.#validators.set(name, {
        validateRequestBody: r.boolean(value, 'validateRequestBody', p) ?? false,
        validateRequestParameters: r.boolean(value, 'validateRequestParameters', p) ?? false,
      })
    }
    const name = r.string(root, VALIDATOR, '', false)
    this.#default = name === undefined ? undefined : { name, pointer: childPointer('', VALIDATOR) }
  }

  /**
   * The validation of one operation: its validator (or the document's default), the required
   * parameters of the path item and the operation, and the models of its request body.
   */
  read(
    pathItem: JsonObject,
    pathPointer: string,
    op: JsonObject,
    opPointer: string,
  ): RequestValidationSpec | undefined {
    const r = this.#r
    const own = r.string(op, VALIDATOR, opPointer, false)
    const chosen =
      own === undefined ? this.#default : { name: own, pointer: childPointer(opPointer, VALIDATOR) }
    if (chosen === undefined) return undefined
    const settings = this.#validators.get(chosen.name)
    if (settings === undefined) {
      // The document's default applies to many operations; its name is wrong in one place.
      if (chosen === this.#default) {
        if (this.#defaultReported) return undefined
        this.#defaultReported = true
      }
      return r.fail(
        chosen.pointer,
        `expected the name of a validator in ${VALIDATORS}; '${chosen.name}' is not defined`,
      )
    }
    // A path item's parameters are read once, so that its mistakes are reported once, not per operation.
    let shared = this.#pathParameters.get(pathPointer)
    if (shared === undefined) {
      shared = { path: [], querystring: [], header: [] }
      this.#readParameters(pathItem, pathPointer, shared)
      this.#pathParameters.set(pathPointer, shared)
    }
    const required = {
      path: [...shared.path],
      querystring: [...shared.querystring],
      header: [...shared.header],
    }
    this.#readParameters(op, opPointer, required)
    const { models, pointer: modelsPointer } = this.#readModels(op, opPointer)
    return {
      validator: chosen.name,
      pointer: chosen.pointer,
      ...settings,
      required,
      models,
      modelsPointer,
      document: this.#root,
    }
  }

  #readParameters(
    holder: JsonObject,
    pointer: string,
    required: { path: string[]; querystring: string[]; header: string[] },
  ): void {
    const list = holder.parameters
    if (list === undefined) return
    const lp = childPointer(pointer, 'parameters')
    if (!Array.isArray(list)) {
      this.#r.fail(lp, 'expected a list of parameter objects')
      return
    }
    list.forEach((raw, i) => {
      const p = childPointer(lp, i)
      const param = this.#resolve(raw, p, 'parameters')
      if (param === undefined) return
      const name = param.name
      const where = param.in
      if (typeof name !== 'string' || typeof where !== 'string') {
        this.#r.fail(p, 'expected a parameter object with name and in')
        return
      }
      if (param.required !== true && where !== 'path') return
      const target =
        where === 'query'
          ? required.querystring
          : where === 'header'
            ? required.header
            : where === 'path'
              ? required.path
              : undefined
      if (target !== undefined && !target.includes(name)) target.push(name)
    })
  }

  #readModels(op: JsonObject, opPointer: string): { models: [string, unknown][]; pointer: string } {
    const bp = childPointer(opPointer, 'requestBody')
    const body = op.requestBody === undefined ? undefined : this.#resolve(op.requestBody, bp, 'requestBodies')
    const content = body === undefined ? undefined : this.#r.object(body, 'content', bp, false)
    const cp = childPointer(bp, 'content')
    const models: [string, unknown][] = []
    for (const [type, media] of Object.entries(content ?? {})) {
      if (!isObject(media) || media.schema === undefined) continue
      const schema = media.schema
      const ref = isObject(schema) ? schema.$ref : undefined
      if (typeof ref === 'string' && this.#target(ref) === undefined) {
        this.#r.fail(
          childPointer(childPointer(childPointer(cp, type), 'schema'), '$ref'),
          `expected a reference to a model in this document (#/components/schemas/<name>), found ${ref}`,
        )
        continue
      }
      models.push([type, schema])
    }
    return { models, pointer: cp }
  }

  /** A parameter or request body, or the `#/components/<section>/<name>` it refers to. */
  #resolve(raw: unknown, pointer: string, section: string): JsonObject | undefined {
    if (!isObject(raw)) return this.#r.fail(pointer, `expected an object, found ${describe(raw)}`)
    if (typeof raw.$ref !== 'string') return raw
    const target = this.#target(raw.$ref)
    if (!raw.$ref.startsWith(`#/components/${section}/`) || !isObject(target))
      return this.#r.fail(
        childPointer(pointer, '$ref'),
        `expected a reference to #/components/${section}/<name> that exists, found ${raw.$ref}`,
      )
    return target
  }

  #target(ref: string): unknown {
    if (!ref.startsWith('#/')) return undefined
    let node: unknown = this.#root
    for (const part of ref.slice(2).split('/')) {
      const key = decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~')
      if (!isObject(node) || !Object.hasOwn(node, key)) return undefined
      node = node[key]
    }
    return node
  }
}
