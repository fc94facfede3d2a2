import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { DevOrgSeed } from './seed-types.ts'
import { SeedError, validateSeed } from './seed-validation.ts'

export const DEFAULT_SEED_PATH = fileURLToPath(new URL('./default-seed.json', import.meta.url))

/** Reads and validates a seed file, or validates a seed object already in memory. */
export function loadSeed(seed: DevOrgSeed | string | undefined): DevOrgSeed {
  if (seed === undefined) return loadSeed(DEFAULT_SEED_PATH)
  if (typeof seed !== 'string') return validateSeed(structuredClone(seed), '<seed>')
  let text: string
  try {
    text = readFileSync(seed, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable'
    throw new SeedError(seed, '', `a readable JSON file (${code})`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new SeedError(seed, '', `valid JSON (${(error as Error).message})`)
  }
  return validateSeed(parsed, seed)
}
