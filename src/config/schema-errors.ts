import type { ErrorObject } from 'ajv'
import { describe } from './field-reader.ts'

/** One problem of a schema-validated file: where, and what was expected there. */
export interface SchemaProblem {
  readonly pointer: string
  readonly expected: string
}

interface SchemaNode {
  readonly type?: string
  readonly const?: unknown
  readonly minimum?: number
  readonly maximum?: number
  readonly exclusiveMinimum?: number
  readonly properties?: Record<string, unknown>
  readonly anyOf?: readonly SchemaNode[]
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
}

/**
 * Ajv's errors (compiled with `verbose`) as the user's terms: a union is one problem naming its
 * choices (not one per branch), and every bound names both ends and the value found. A value is
 * shown only where it cannot be a secret: a union of objects is where secret references live
 * (`{ env }` or `{ file }`), so there only the kind of value found is named.
 */
export function schemaProblems(errors: readonly ErrorObject[]): SchemaProblem[] {
  // A union whose value takes one branch's shape (`{ env: … }`) is reported by that branch alone.
  const chosen = new Map<ErrorObject, string>()
  for (const u of errors) {
    if (u.keyword !== 'anyOf') continue
    const i = branchTaken(u)
    if (i !== undefined) chosen.set(u, `${u.schemaPath}/${i}/`)
  }
  const unions = errors.filter((e) => e.keyword === 'anyOf')
  const hidden = (e: ErrorObject) =>
    chosen.has(e) ||
    (e.keyword !== 'anyOf' &&
      unions.some((u) => {
        const within = e.schemaPath.startsWith(`${u.schemaPath}/`)
        const branch = chosen.get(u)
        return within && (branch === undefined || !e.schemaPath.startsWith(branch))
      }))
  return errors.filter((e) => !hidden(e)).map(problemOf)
}

function branchTaken(u: ErrorObject): number | undefined {
  const data = u.data
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined
  const keys = Object.keys(data)
  const branches = ((u.parentSchema ?? {}) as SchemaNode).anyOf ?? []
  const i = branches.findIndex((b) => {
    const own = Object.keys(b.properties ?? {})
    return own.length > 0 && keys.length === own.length && own.every((k) => keys.includes(k))
  })
  return i === -1 ? undefined : i
}

function problemOf(e: ErrorObject): SchemaProblem {
  const parent = (e.parentSchema ?? {}) as SchemaNode
  const found = describe(e.data)
  switch (e.keyword) {
    case 'additionalProperties': {
      // A map of names (orgs, stage variables, headers) refuses a key of the wrong form, not an unknown one.
      const names = (parent as { patternProperties?: Record<string, unknown> }).patternProperties
      return {
        pointer: `${e.instancePath}/${String(e.params.additionalProperty)}`,
        expected:
          names === undefined
            ? 'is not a known setting'
            : `expected a name matching ${Object.keys(names).join(' or ')}`,
      }
    }
    case 'required':
      return {
        pointer: `${e.instancePath}/${String(e.params.missingProperty)}`,
        expected: 'a required setting is missing',
      }
    case 'type':
      return {
        pointer: e.instancePath,
        expected: `expected ${ARTICLE[String(e.params.type)] ?? String(e.params.type)}, found ${found}`,
      }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
      return { pointer: e.instancePath, expected: `expected ${range(parent)}, found ${found}` }
    case 'pattern':
      return {
        pointer: e.instancePath,
        expected: `expected a string matching ${String(e.params.pattern)}, found ${found}`,
      }
    case 'minLength':
      return {
        pointer: e.instancePath,
        expected:
          e.params.limit === 1
            ? 'expected a non-empty string'
            : `expected at least ${String(e.params.limit)} characters`,
      }
    case 'const':
      return { pointer: e.instancePath, expected: `expected ${String(parent.const)}, found ${found}` }
    case 'anyOf':
      return { pointer: e.instancePath, expected: unionExpected(parent, e.data) }
    default:
      return { pointer: e.instancePath, expected: e.message ?? 'is not valid' }
  }
}

function range(s: SchemaNode): string {
  const what = s.type === 'integer' ? 'an integer' : 'a number'
  if (s.exclusiveMinimum !== undefined) return `${what} greater than ${s.exclusiveMinimum}`
  if (s.minimum !== undefined && s.maximum !== undefined) return `${what} from ${s.minimum} to ${s.maximum}`
  if (s.minimum !== undefined) return `${what} of at least ${s.minimum}`
  return `${what} of at most ${s.maximum}`
}

function unionExpected(s: SchemaNode, data: unknown): string {
  const branches = s.anyOf ?? []
  if (branches.length > 0 && branches.every((b) => b.const !== undefined))
    return `expected one of ${branches.map((b) => String(b.const)).join(', ')}, found ${describe(data)}`
  const shapes = branches.map((b) =>
    b.properties === undefined
      ? (ARTICLE[String(b.type)] ?? 'a value')
      : `{ ${Object.keys(b.properties).join(', ')} }`,
  )
  const kind =
    data === null || typeof data !== 'object' ? (ARTICLE[typeof data] ?? 'a value') : describe(data)
  const keys =
    typeof data === 'object' && data !== null && !Array.isArray(data)
      ? Object.keys(data).join(', ')
      : undefined
  return `expected ${shapes.join(' or ')} (exactly one of them), found ${
    keys === undefined ? kind : keys === '' ? 'an empty object' : `an object with ${keys}`
  }`
}
