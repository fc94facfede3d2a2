/**
 * Checks a CloudFormation template against AWS's resource specification as published in
 * @aws-cdk/aws-service-spec (db.json.gz): every resource type exists, required properties are
 * present, no unknown property, and each value has the property's type (an intrinsic function
 * stands for any type).
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { gunzipSync } from 'node:zlib'

type SpecType = { type: string; element?: SpecType; reference?: { $ref: string }; types?: SpecType[] }
type SpecProperty = { type: SpecType; required?: boolean }
type SpecShape = { properties: Record<string, SpecProperty> }

const require = createRequire(import.meta.url)
const db = JSON.parse(
  gunzipSync(
    readFileSync(join(dirname(require.resolve('@aws-cdk/aws-service-spec/package.json')), 'db.json.gz')),
  ).toString(),
)
const entities = (table: { entities: unknown }) =>
  (Array.isArray(table.entities) ? table.entities : Object.values(table.entities as object)) as (SpecShape & {
    $id: string
    cloudFormationType?: string
  })[]
const resources = new Map(entities(db.schema.resource).map((r) => [r.cloudFormationType!, r]))
const definitions = new Map(entities(db.schema.typeDefinition).map((t) => [t.$id, t]))

const isIntrinsic = (v: unknown) =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.keys(v).length === 1 &&
  /^(Ref|Fn::)/.test(Object.keys(v)[0]!)

export function specProblems(template: {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>
}): string[] {
  const problems: string[] = []
  for (const [id, resource] of Object.entries(template.Resources)) {
    const spec = resources.get(resource.Type)
    if (spec === undefined) {
      problems.push(`${id}: unknown type ${resource.Type}`)
      continue
    }
    checkShape(`${id}.Properties`, spec, resource.Properties ?? {}, problems)
  }
  return problems
}

function checkShape(at: string, shape: SpecShape, value: Record<string, unknown>, problems: string[]): void {
  for (const [name, property] of Object.entries(shape.properties))
    if (property.required === true && value[name] === undefined) problems.push(`${at}.${name}: required`)
  for (const [name, v] of Object.entries(value)) {
    const property = shape.properties[name]
    if (property === undefined) problems.push(`${at}.${name}: no such property`)
    else checkType(`${at}.${name}`, property.type, v, problems)
  }
}

function checkType(at: string, type: SpecType, value: unknown, problems: string[]): void {
  if (isIntrinsic(value)) return
  const fail = () =>
    problems.push(`${at}: expected ${type.type}, found ${JSON.stringify(value).slice(0, 60)}`)
  switch (type.type) {
    case 'string':
      if (typeof value !== 'string') fail()
      return
    case 'number':
    case 'integer':
      if (typeof value !== 'number') fail()
      return
    case 'boolean':
      if (typeof value !== 'boolean') fail()
      return
    case 'json':
      if (typeof value !== 'object' || value === null) fail()
      return
    case 'array':
      if (!Array.isArray(value)) return void fail()
      for (const [i, v] of value.entries()) checkType(`${at}[${i}]`, type.element!, v, problems)
      return
    case 'map':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return void fail()
      for (const [k, v] of Object.entries(value)) checkType(`${at}.${k}`, type.element!, v, problems)
      return
    case 'ref': {
      const definition = definitions.get(type.reference!.$ref)
      if (typeof value !== 'object' || value === null || Array.isArray(value) || definition === undefined)
        return void fail()
      checkShape(at, definition, value as Record<string, unknown>, problems)
      return
    }
    case 'union': {
      const trial = type.types!.map((t) => {
        const p: string[] = []
        checkType(at, t, value, p)
        return p
      })
      if (!trial.some((p) => p.length === 0)) problems.push(...trial[0]!)
      return
    }
    default:
      return
  }
}
