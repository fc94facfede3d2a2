import { describe, isObject, type JsonObject } from '../field-reader.ts'
import { childPointer } from '../source-document.ts'

/** Where local values of a template's references come from. */
export interface TemplateContext {
  readonly region: string
  readonly stackName: string
  /** `--parameter-overrides`-style values; else each parameter's Default. */
  readonly parameters: Readonly<Record<string, string>>
  /** Logical ID → the function's name and ARN. */
  readonly functions: ReadonlyMap<string, { name: string; arn: string }>
}

export type Fail = (pointer: string, expected: string) => undefined

const ACCOUNT = '000000000000'

/**
 * Resolves the CloudFormation functions a served API needs, locally: `Ref` (parameters, pseudo
 * parameters, functions by name, other resources by their logical ID), `Fn::GetAtt` of a
 * function's `Arn`, `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap`, `Fn::If`
 * with the template's conditions. Only the values read are resolved, so a table's ARN in an
 * IAM policy never stops the gateway; what cannot be resolved here is reported with its pointer.
 */
export class Intrinsics {
  readonly #template: JsonObject
  readonly #context: TemplateContext

  constructor(template: JsonObject, context: TemplateContext) {
    this.#template = template
    this.#context = context
  }

  resolve(value: unknown, pointer: string, fail: Fail): unknown {
    if (Array.isArray(value)) return value.map((v, i) => this.resolve(v, childPointer(pointer, i), fail))
    if (!isObject(value)) return value
    const keys = Object.keys(value)
    const fn = keys.length === 1 ? keys[0]! : undefined
    if (fn === undefined || !(fn === 'Ref' || fn === 'Condition' || fn.startsWith('Fn::'))) {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value)) {
        const resolved = this.resolve(v, childPointer(pointer, k), fail)
        if (resolved !== undefined) out[k] = resolved
      }
      return out
    }
    const p = childPointer(pointer, fn)
    const arg = value[fn]
    switch (fn) {
      case 'Ref':
        return typeof arg === 'string'
          ? this.#ref(arg, p, fail)
          : fail(p, `expected a name, found ${describe(arg)}`)
      case 'Fn::GetAtt':
        return this.#getAtt(this.resolve(arg, p, fail), p, fail)
      case 'Fn::Sub':
        return this.#sub(arg, p, fail)
      case 'Fn::Join': {
        const [sep, list] = (this.resolve(arg, p, fail) as unknown[] | undefined) ?? []
        if (typeof sep !== 'string' || !Array.isArray(list)) return fail(p, 'expected [separator, [values]]')
        return list.join(sep)
      }
      case 'Fn::Select': {
        const [index, list] = (this.resolve(arg, p, fail) as unknown[] | undefined) ?? []
        if (!Array.isArray(list)) return fail(p, 'expected [index, [values]]')
        return list[Number(index)]
      }
      case 'Fn::Split': {
        const [sep, text] = (this.resolve(arg, p, fail) as unknown[] | undefined) ?? []
        if (typeof sep !== 'string' || typeof text !== 'string') return fail(p, 'expected [separator, text]')
        return text.split(sep)
      }
      case 'Fn::FindInMap': {
        const [map, key, field] = (this.resolve(arg, p, fail) as unknown[] | undefined) ?? []
        const found = (
          this.#template.Mappings as Record<string, Record<string, Record<string, unknown>>> | undefined
        )?.[String(map)]?.[String(key)]?.[String(field)]
        return found === undefined ? fail(p, `no Mappings.${map}.${key}.${field}`) : found
      }
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string')
          return fail(p, 'expected [condition, value if true, value if false]')
        const holds = this.#condition(arg[0], p, fail)
        return holds === undefined
          ? undefined
          : this.resolve(arg[holds ? 1 : 2], childPointer(p, holds ? 1 : 2), fail)
      }
      case 'Condition':
        return typeof arg === 'string' ? this.#condition(arg, p, fail) : fail(p, 'expected a condition name')
      case 'Fn::Equals': {
        const [a, b] = (this.resolve(arg, p, fail) as unknown[] | undefined) ?? []
        return String(a) === String(b)
      }
      case 'Fn::Not':
        return !(this.resolve((arg as unknown[])[0], childPointer(p, 0), fail) as boolean)
      case 'Fn::And':
        return (this.resolve(arg, p, fail) as boolean[]).every(Boolean)
      case 'Fn::Or':
        return (this.resolve(arg, p, fail) as boolean[]).some(Boolean)
      default:
        return fail(p, `${fn} cannot be resolved locally`)
    }
  }

  #condition(name: string, pointer: string, fail: Fail): boolean | undefined {
    const conditions = isObject(this.#template.Conditions) ? this.#template.Conditions : {}
    if (!(name in conditions))
      return fail(pointer, `expected the name of a condition in Conditions, found '${name}'`)
    const v = this.resolve(conditions[name], childPointer('/Conditions', name), fail)
    return v === undefined ? undefined : Boolean(v)
  }

  #ref(name: string, pointer: string, fail: Fail): unknown {
    const c = this.#context
    switch (name) {
      case 'AWS::Region':
        return c.region
      case 'AWS::AccountId':
        return ACCOUNT
      case 'AWS::StackName':
        return c.stackName
      case 'AWS::Partition':
        return 'aws'
      case 'AWS::URLSuffix':
        return 'amazonaws.com'
      case 'AWS::NoValue':
        return undefined
    }
    const parameters = isObject(this.#template.Parameters) ? this.#template.Parameters : {}
    if (name in parameters) {
      const given = c.parameters[name]
      const param = parameters[name]
      const fallback = isObject(param) ? param.Default : undefined
      if (given !== undefined) return given
      if (fallback === undefined)
        return fail(
          pointer,
          `parameter ${name} has no Default: give it a value (FORCEGATE_PARAMETER_${name})`,
        )
      return fallback
    }
    const fn = c.functions.get(name)
    if (fn !== undefined) return fn.name
    const resources = isObject(this.#template.Resources) ? this.#template.Resources : {}
    if (name in resources) return name
    return fail(pointer, `expected a parameter or a resource, found '${name}'`)
  }

  #getAtt(arg: unknown, pointer: string, fail: Fail): unknown {
    if (!Array.isArray(arg) || arg.length !== 2) return fail(pointer, 'expected [LogicalId, Attribute]')
    const [id, attribute] = arg as [string, string]
    const fn = this.#context.functions.get(id)
    if (fn !== undefined && attribute === 'Arn') return fn.arn
    // A role API Gateway assumes (an integration's `credentials`) is named, never used, locally.
    const resources = isObject(this.#template.Resources) ? this.#template.Resources : {}
    const resource = resources[id]
    if (isObject(resource) && resource.Type === 'AWS::IAM::Role' && attribute === 'Arn')
      return `arn:aws:iam::${ACCOUNT}:role/${id}`
    return fail(pointer, `only a function's or a role's Arn can be resolved locally, not ${id}.${attribute}`)
  }

  #sub(arg: unknown, pointer: string, fail: Fail): unknown {
    const [text, vars] = Array.isArray(arg) ? arg : [arg, {}]
    if (typeof text !== 'string') return fail(pointer, 'expected a string or [string, { variables }]')
    const values = isObject(vars) ? (this.resolve(vars, childPointer(pointer, 1), fail) as JsonObject) : {}
    let failed = false
    const out = text.replace(/\$\{(!?)([^}]+)\}/g, (whole, literal: string, name: string) => {
      if (literal === '!') return `\${${name}}`
      if (name in values) return String(values[name])
      const dot = name.indexOf('.')
      const v =
        dot > 0 && !name.startsWith('AWS::')
          ? this.#getAtt([name.slice(0, dot), name.slice(dot + 1)], pointer, fail)
          : this.#ref(name, pointer, fail)
      if (v === undefined) failed = true
      return v === undefined ? whole : String(v)
    })
    return failed ? undefined : out
  }
}
