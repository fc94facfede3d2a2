import type fc from 'fast-check'

/**
 * Shared settings of the property tests: a fixed seed, so `npm test` explores the same cases
 * on every run, and a small default number of runs, so the suite stays quick. For a longer
 * exploration set FORCEGATE_PROPERTY_RUNS (runs per property) and, to explore other cases,
 * FORCEGATE_PROPERTY_SEED; a failure prints its seed and path, which reproduce it.
 */
const DEFAULT_SEED = 0x5eed_f0c

function envInteger(name: string): number | undefined {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return undefined
  const value = Number(raw)
  if (!Number.isSafeInteger(value)) throw new TypeError(`${name} must be an integer, got '${raw}'`)
  return value
}

/** Parameters for `fc.assert`: `defaultRuns` unless FORCEGATE_PROPERTY_RUNS says otherwise. */
export function propertyParameters<T>(defaultRuns: number): fc.Parameters<T> {
  return {
    seed: envInteger('FORCEGATE_PROPERTY_SEED') ?? DEFAULT_SEED,
    numRuns: envInteger('FORCEGATE_PROPERTY_RUNS') ?? defaultRuns,
  }
}
