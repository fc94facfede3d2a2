/**
 * Salesforce record ids come in a case-sensitive 15-character form and an 18-character
 * form whose last three characters only encode the case of the first fifteen. Two ids name
 * the same record when their first fifteen characters are equal (salesforce.md 1.2, 4.10).
 */
const RECORD_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/

export function isRecordId(value: unknown, keyPrefix: string): value is string {
  return typeof value === 'string' && RECORD_ID.test(value) && value.startsWith(keyPrefix)
}

export const isOrgId = (value: unknown): value is string => isRecordId(value, '00D')
export const isUserId = (value: unknown): value is string => isRecordId(value, '005')

export function sameRecord(a: string, b: string): boolean {
  return a.slice(0, 15) === b.slice(0, 15)
}

/** Checks configuration once, at start-up. */
export function checkedOrgId(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (!isOrgId(value)) throw new TypeError('org.orgId must be a 15 or 18 character id starting with 00D')
  return value
}
