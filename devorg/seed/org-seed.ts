// A data folder is one org. It keeps a copy of the seed it was created with, so that a restart
// without --seed is the same org (same users, apps and objects) and a different seed is never
// loaded over it by accident.

import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import type { DatabaseSync } from 'node:sqlite'
import { readSetting, writeSetting } from '../store/database.ts'
import type { DevOrgSeed } from './seed-types.ts'
import { validateSeed } from './seed-validation.ts'

const SEED = 'seed'
const SEED_SOURCE = 'seed_source'

/** The seed asked for at start: what it is, and where it came from (for messages). */
export type GivenSeed = { seed: DevOrgSeed; source: string }

/** A data folder created with one seed, started with another, without --reseed. */
export class SeedMismatchError extends Error {
  constructor(dataDir: string, created: { source: string; hash: string }, given: GivenSeed) {
    super(
      `the data folder ${dataDir} is the org of the seed it was created with, ${created.source} ` +
        `(sha256 ${created.hash.slice(0, 12)}), and --seed ${given.source} is a different seed ` +
        `(sha256 ${seedHash(given.seed).slice(0, 12)}). Start without --seed to run that org, ` +
        `add --reseed to make ${given.source} its seed from now on (its records, tokens and ` +
        'registered clients stay), or use another --data folder.',
    )
    this.name = 'SeedMismatchError'
  }
}

/** Where a seed came from, as messages name it. */
export function seedSource(seed: DevOrgSeed | string | undefined, defaultPath: string): string {
  if (seed === undefined) return `the default seed (${defaultPath})`
  return typeof seed === 'string' ? resolve(seed) : 'a seed object'
}

/** A seed's identity: the SHA-256 of its content with object keys sorted, so layout never counts. */
export function seedHash(seed: DevOrgSeed): string {
  return createHash('sha256').update(canonicalJson(seed)).digest('hex')
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/**
 * The seed this data folder's org runs with. A new folder records `given` (the default seed
 * when none was named); a folder that has one keeps it, unless `reseed` replaces it. Throws
 * SeedMismatchError when a different seed is named without `reseed`.
 */
export function orgSeed(
  db: DatabaseSync,
  dataDir: string,
  given: GivenSeed,
  options: { named: boolean; reseed: boolean },
): DevOrgSeed {
  const stored = readSetting(db, SEED)
  if (stored === undefined || options.reseed) {
    record(db, given)
    return given.seed
  }
  const seed = validateSeed(JSON.parse(stored), `${dataDir} (the seed it was created with)`)
  if (options.named) {
    const hash = seedHash(seed)
    if (seedHash(given.seed) !== hash) {
      throw new SeedMismatchError(dataDir, { source: readSetting(db, SEED_SOURCE) ?? 'unknown', hash }, given)
    }
  }
  return seed
}

function record(db: DatabaseSync, given: GivenSeed): void {
  writeSetting(db, SEED, JSON.stringify(given.seed))
  writeSetting(db, SEED_SOURCE, given.source)
}
