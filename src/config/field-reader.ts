import { ConfigError, ConfigErrors } from '../errors/config-error.ts'
import { childPointer, type SourceDocument } from './source-document.ts'

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Reads fields out of a source document while collecting every problem with its pointer,
 * so one run reports all mistakes. Readers return `undefined` after recording a problem.
 */
export class FieldReader {
  readonly doc: SourceDocument
  readonly #errors: ConfigError[] = []

  constructor(doc: SourceDocument) {
    this.doc = doc
  }

  fail(pointer: string, expected: string): undefined {
    this.#errors.push(new ConfigError(this.doc.file, pointer, expected, this.doc.lineOf(pointer)))
    return undefined
  }

  /** The problems recorded so far, in the order found. */
  get errors(): readonly ConfigError[] {
    return this.#errors
  }

  get hasErrors(): boolean {
    return this.#errors.length > 0
  }

  throwIfErrors(): void {
    if (this.#errors.length === 1) throw this.#errors[0]
    if (this.#errors.length > 1) throw new ConfigErrors(this.#errors)
  }

  object(parent: JsonObject, key: string, pointer: string, required: boolean): JsonObject | undefined {
    const value = parent[key]
    if (value === undefined)
      return required ? this.fail(childPointer(pointer, key), 'a required object is missing') : undefined
    if (!isObject(value))
      return this.fail(childPointer(pointer, key), `expected an object, found ${describe(value)}`)
    return value
  }

  string(parent: JsonObject, key: string, pointer: string, required: boolean): string | undefined {
    const value = parent[key]
    if (value === undefined)
      return required ? this.fail(childPointer(pointer, key), 'a required string is missing') : undefined
    if (typeof value !== 'string')
      return this.fail(childPointer(pointer, key), `expected a string, found ${describe(value)}`)
    return value
  }

  boolean(parent: JsonObject, key: string, pointer: string): boolean | undefined {
    const value = parent[key]
    if (value === undefined) return undefined
    if (typeof value !== 'boolean')
      return this.fail(childPointer(pointer, key), `expected true or false, found ${describe(value)}`)
    return value
  }

  /** An integer in range; API Gateway writes several of these as strings, so numeric strings pass. */
  integer(parent: JsonObject, key: string, pointer: string, min: number, max: number): number | undefined {
    const value = parent[key]
    if (value === undefined) return undefined
    const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      return this.fail(
        childPointer(pointer, key),
        `expected an integer from ${min} to ${max}, found ${describe(value)}`,
      )
    }
    return n
  }

  stringArray(parent: JsonObject, key: string, pointer: string): string[] | undefined {
    const value = parent[key]
    if (value === undefined) return undefined
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      return this.fail(childPointer(pointer, key), `expected a list of strings, found ${describe(value)}`)
    }
    return value as string[]
  }

  stringMap(parent: JsonObject, key: string, pointer: string): [string, string][] | undefined {
    const value = this.object(parent, key, pointer, false)
    if (value === undefined) return undefined
    const out: [string, string][] = []
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'string')
        this.fail(childPointer(childPointer(pointer, key), k), `expected a string, found ${describe(v)}`)
      else out.push([k, v])
    }
    return out
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
  return `${typeof value} ${String(value)}`
}
