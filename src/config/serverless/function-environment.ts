import { describe, type FieldReader, isObject } from '../field-reader.ts'
import { childPointer } from '../source-document.ts'

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
