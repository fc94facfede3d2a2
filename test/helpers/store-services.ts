import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { describe, test } from 'node:test'

/** Set by CI: a missing redis-server or PostgreSQL fails the run instead of skipping those tests. */
export const REQUIRE_SERVICES_ENV = 'FORCEGATE_REQUIRE_SERVICES'

export type StoreService = 'redis' | 'postgres'

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && executable(join(dir, name))) return join(dir, name)
  }
  return undefined
}

export function findRedisServer(): string | undefined {
  return onPath('redis-server') ?? ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find(executable)
}

/** The folder holding `initdb` and `postgres` of one installation (Debian keeps them off PATH). */
export function findPostgresBin(): string | undefined {
  const debian = ['17', '16', '15', '14', '13'].map((v) => `/usr/lib/postgresql/${v}/bin`)
  for (const dir of debian)
    if (executable(join(dir, 'initdb')) && executable(join(dir, 'postgres'))) return dir
  const initdb = onPath('initdb')
  if (initdb !== undefined && executable(join(initdb, '..', 'postgres'))) return join(initdb, '..')
  return undefined
}

export function servicesRequired(): boolean {
  const flag = process.env[REQUIRE_SERVICES_ENV]
  return flag !== undefined && flag !== '' && flag !== '0'
}

export function serviceMissing(service: StoreService): string | undefined {
  if (service === 'redis')
    return findRedisServer() === undefined
      ? 'no redis-server found (install Debian package redis-server)'
      : undefined
  return findPostgresBin() === undefined
    ? 'no PostgreSQL server found (install Debian package postgresql)'
    : undefined
}

/**
 * A suite that needs real store servers. Without them it is one skipped test carrying the
 * reason; where CI requires them it always runs, and starting the server fails with the reason.
 */
export function serviceSuite(
  name: string,
  needs: readonly StoreService[],
  options: { timeout: number },
  body: () => void,
): void {
  const missing = needs.map(serviceMissing).filter((m) => m !== undefined)
  if (missing.length === 0 || servicesRequired()) {
    describe(name, options, body)
    return
  }
  test(name, { skip: `${missing.join('; ')}: tests needing it not run` }, () => {})
}
