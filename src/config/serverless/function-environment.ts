import { describe, type FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import { childPointer, pointerSegments } from '../source-document.ts'

/**
 * An `environment:` map. Numbers and booleans become the strings Lambda sets (CloudFormation
 * converts them so); a CloudFormation function (`Ref`, `Fn::GetAtt`, `Fn::ImportValue`) names a
 * deployed resource that does not exist locally: it is named at start-up and left unset.
 */
export function readEnvironment(
  r: FieldReader,
  notes: FieldReader,
  parent: Record<string, unknown>,
  pointer: string,
): [string, string][] {
  const value = parent.environment
  const p = childPointer(pointer, 'environment')
  if (value === undefined) return []
  if (!isObject(value)) {
    r.fail(p, `expected an object of variables, found ${describe(value)}`)
    return []
  }
  const out: [string, string][] = []
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push([k, String(v)])
    else if (isObject(v) && Object.keys(v).some((f) => f === 'Ref' || f.startsWith('Fn::')))
      notes.fail(
        childPointer(p, k),
        `${k} is left unset: ${Object.keys(v)[0]} names a deployed CloudFormation resource, which does not exist locally`,
      )
    else r.fail(childPointer(p, k), `expected a string, found ${describe(v)}`)
  }
  return out
}

/** `DATABASE_URL` of `/provider/environment/DATABASE_URL` or `/functions/x/environment/…`. */
export function environmentKey(pointer: string): string | undefined {
  const segments = pointerSegments(pointer)
  const at = segments[0] === 'provider' ? 1 : segments[0] === 'functions' ? 2 : -1
  return at > 0 && segments.length === at + 2 && segments[at] === 'environment' ? segments[at + 1] : undefined
}

/**
 * A function environment variable whose value cannot be resolved here (`${ssm:…}`, a secret
 * file that is not checked in) takes the value of the same variable in forcegate's own
 * environment, when there is one, so the project runs unmodified.
 */
export function setEnvironment(root: JsonObject, pointer: string, value: string | undefined): boolean {
  if (value === undefined) return false
  const segments = pointerSegments(pointer)
  let node: unknown = root
  for (const key of segments.slice(0, -1)) {
    if (!isObject(node)) return false
    node[key] ??= {}
    node = node[key]
  }
  if (!isObject(node)) return false
  node[segments.at(-1)!] = value
  return true
}
