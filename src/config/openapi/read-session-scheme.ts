import { ConfigError, ConfigErrors } from '../../errors/config-error.ts'
import { describe, isObject } from '../field-reader.ts'
import { childPointer } from '../source-document.ts'
import type { SecuritySchemeSpec } from './api-definition.ts'
import { type IdentityRequirementSpec, readIdentityRequirement } from './read-identity-requirement.ts'

export const SESSION_EXTENSION = 'x-forcegate-session'

/** A route guarded by a browser session of the portal (forcegate's extension). */
export interface SessionSchemeSpec {
  readonly schemeName: string
  /** Who may call, by Salesforce identity; undefined lets every signed-in user through. */
  readonly require: IdentityRequirementSpec | undefined
  /** How long identity facts are kept, never beyond the session. */
  readonly cacheTtlSeconds: number
  readonly pointer: string
}

/**
 * Reads `x-forcegate-session` on an `apiKey` cookie scheme:
 *
 *     x-forcegate-session:
 *       require: { userType: [STANDARD] }   # read-identity-requirement.ts
 *       cacheTtlSeconds: 300
 */
export function readSessionScheme(
  file: string,
  scheme: SecuritySchemeSpec,
  lineOf: (pointer: string) => number | undefined,
): SessionSchemeSpec {
  const base = childPointer(scheme.pointer, SESSION_EXTENSION)
  const errors: ConfigError[] = []
  const fail = (path: readonly string[], expected: string) => {
    const pointer = path.reduce<string>(childPointer, base)
    errors.push(new ConfigError(file, pointer, expected, lineOf(pointer)))
  }
  const ext = scheme.raw[SESSION_EXTENSION]
  if (!isObject(ext)) {
    fail([], `expected an object, found ${describe(ext)}`)
    throw errors[0]
  }
  for (const key of Object.keys(ext)) {
    if (key !== 'require' && key !== 'cacheTtlSeconds')
      fail([key], 'is not a known setting (require, cacheTtlSeconds)')
  }
  const ttl = ext.cacheTtlSeconds ?? 300
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > 3600)
    fail(['cacheTtlSeconds'], `expected an integer from 0 to 3600, found ${describe(ttl)}`)
  const require = readIdentityRequirement(ext.require, fail)
  if (errors.length === 1) throw errors[0]
  if (errors.length > 1) throw new ConfigErrors(errors)
  return { schemeName: scheme.name, require, cacheTtlSeconds: ttl as number, pointer: base }
}
