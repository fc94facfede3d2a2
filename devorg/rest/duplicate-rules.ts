// Duplicate rules from the seed. A save matching another live record on every field of a rule
// answers 400 DUPLICATES_DETECTED with the duplicate result Salesforce sends: the rule, whether
// the save may be forced, and the matching records. "Allow" rules let a save through when the
// request says `Sforce-Duplicate-Rule-Header: allowSave=true`; "block" rules never do.

import type { SeedDuplicateRule } from '../seed/seed-types.ts'
import { compareKey, type StoredValue } from './field-values.ts'
import { recordUrl } from './record-shape.ts'
import type { RecordData, RecordStore } from './record-store.ts'
import { RestError } from './rest-errors.ts'
import type { ObjectDef, Schema } from './sobject-schema.ts'

export type DuplicateRule = Required<Omit<SeedDuplicateRule, 'message'>> & { message: string }

const DEFAULT_MESSAGE = "You're creating a duplicate record. We recommend you use an existing record instead."

/** The seed's rules with canonical object and field names; a rule naming nothing real is a seed error. */
export function compileDuplicateRules(schema: Schema, rules: SeedDuplicateRule[] = []): DuplicateRule[] {
  return rules.map((r) => {
    const obj = schema.object(r.object)
    if (!obj || obj.isEvent)
      throw new Error(`seed: duplicate rule ${r.name} names ${r.object}, which is not an object`)
    const fields = r.fields.map((name) => {
      const field = schema.field(obj, name)
      if (!field) throw new Error(`seed: duplicate rule ${r.name}: ${obj.name} has no field ${name}`)
      return field.name
    })
    return {
      name: r.name,
      object: obj.name,
      fields,
      action: r.action,
      matchingRule: r.matchingRule ?? `${r.name}_Match`,
      message: r.message ?? DEFAULT_MESSAGE,
      resultKey: r.resultKey ?? 'duplicateResut',
    }
  })
}

/** `allowSave=true` in `Sforce-Duplicate-Rule-Header` (keys separated by `;` or `,`). */
export function allowSaveRequested(header: string | undefined): boolean {
  return (header ?? '')
    .split(/[;,]/)
    .map((part) => part.trim().toLowerCase().replace(/\s+/g, ''))
    .includes('allowsave=true')
}

function key(value: StoredValue | undefined): string | null {
  if (value === null || value === undefined || value === '') return null
  return JSON.stringify(compareKey(typeof value === 'string' ? value.trim() : value))
}

export function duplicateChecker(
  rules: DuplicateRule[],
  store: RecordStore,
  version: string,
  allowSave: boolean,
): (obj: ObjectDef, data: RecordData) => void {
  return (obj, data) => {
    for (const rule of rules) {
      if (rule.object !== obj.name || (rule.action === 'allow' && allowSave)) continue
      const wanted = rule.fields.map((f) => key(data[f]))
      if (wanted.some((k) => k === null)) continue
      const matches = store
        .list(obj.name, false)
        .filter((r) => r.id !== data.Id && rule.fields.every((f, i) => key(r.data[f]) === wanted[i]))
      if (matches.length > 0)
        throw duplicatesDetected(
          rule,
          matches.map((m) => m.id),
          version,
        )
    }
  }
}

function duplicatesDetected(rule: DuplicateRule, ids: string[], version: string): RestError {
  const result = {
    allowSave: rule.action === 'allow',
    duplicateRule: rule.name,
    duplicateRuleEntityType: rule.object,
    errorMessage: rule.message,
    matchResults: [
      {
        entityType: rule.object,
        errors: [],
        matchEngine: 'ExactMatchEngine',
        matchRecords: ids.map((id) => ({
          additionalInformation: [],
          fieldDiffs: [],
          matchConfidence: 100.0,
          record: { attributes: { type: rule.object, url: recordUrl(version, rule.object, id) }, Id: id },
        })),
        rule: rule.matchingRule,
        size: ids.length,
        success: true,
      },
    ],
  }
  return new RestError(400, [
    { [rule.resultKey]: result, errorCode: 'DUPLICATES_DETECTED', message: rule.message },
  ])
}
