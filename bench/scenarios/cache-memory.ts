/**
 * Memory and lookup cost per cached decision, in-process (no HTTP): fills forcegate's JWT
 * verified-token cache, its Lambda authorizer result cache or the Salesforce enforcer's
 * identity cache with N distinct identities, with entries shaped as the gateway stores them
 * (frozen claims; parsed output with a compiled policy; a resolved identity), and reports the heap and RSS growth per entry and the hit lookups per second.
 * Each (cache, N) runs in a fresh process, pinned like the servers.
 *
 *   node --expose-gc bench/scenarios/cache-memory.ts <jwt|lambda|salesforce> <N>   (prints one JSON line)
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { claimsForEvent } from '../../src/auth/jwt/claims-for-event.ts'
import { VerifiedTokenCache } from '../../src/auth/jwt/verified-token-cache.ts'
import { parseAuthorizerOutput } from '../../src/auth/lambda-authorizer/output.ts'
import { AuthorizerResultCache, resultCacheKey } from '../../src/auth/lambda-authorizer/result-cache.ts'
import { IdentityCache } from '../../src/auth/salesforce/identity-cache.ts'
import { runBounded } from '../lib/proc.ts'
import type { BenchContext } from '../lib/scenario.ts'
import { NODE } from '../lib/tools.ts'

export interface CacheMemoryResult {
  readonly cache: CacheKind
  readonly entries: number
  readonly heapBytesPerEntry: number
  readonly rssBytesPerEntry: number
  readonly fillSeconds: number
  readonly hitsPerSecond: number
}

export const CACHE_LABELS = {
  jwt: 'JWT verified-token cache',
  lambda: 'Lambda authorizer result cache',
  salesforce: 'Salesforce identity cache (introspection answers)',
} as const
type CacheKind = keyof typeof CACHE_LABELS

/** Runs each measurement in its own bounded, pinned process. */
export async function measureCacheMemory(
  ctx: BenchContext,
  sizes: readonly number[],
): Promise<(CacheMemoryResult | { cache: string; entries: number; error: string })[]> {
  const out: (CacheMemoryResult | { cache: string; entries: number; error: string })[] = []
  const self = fileURLToPath(import.meta.url)
  for (const cache of Object.keys(CACHE_LABELS) as CacheKind[]) {
    for (const n of sizes) {
      const args = ['--expose-gc', '--max-old-space-size=8192', self, cache, String(n)]
      const command = ctx.cpus.server === undefined ? NODE : 'taskset'
      const full = ctx.cpus.server === undefined ? args : ['-c', ctx.cpus.server, NODE, ...args]
      const res = await runBounded(command, full, { timeoutSeconds: 300, cwd: join(self, '..', '..', '..') })
      const line = res.output.split('\n').find((l) => l.startsWith('{"cache"'))
      if (res.code !== 0 || line === undefined) {
        out.push({
          cache,
          entries: n,
          error: res.output.trim().split('\n').slice(-2).join(' ') || `exit ${res.code}`,
        })
      } else out.push(JSON.parse(line) as CacheMemoryResult)
      ctx.log(`  ${cache} cache, ${n} entries: ${line ?? 'failed'}`)
    }
  }
  return out
}

const gc = (globalThis as { gc?: () => void }).gc

function settle(): { heap: number; rss: number } {
  for (let i = 0; i < 4; i++) gc?.()
  const m = process.memoryUsage()
  return { heap: m.heapUsed, rss: m.rss }
}

// A realistic access token is ~700 characters; only its digest is kept, so the text is transient.
const tokenPrefix = `eyJhbGciOiJSUzI1NiJ9.${randomBytes(480).toString('base64url')}.`
const tokenOf = (i: number): string => `${tokenPrefix}${i}`

async function fillJwt(n: number): Promise<{ lookup: (i: number) => Promise<unknown>; keep: unknown }> {
  const cache = new VerifiedTokenCache<unknown>(Date.now, { maxEntries: n, maxTtlMs: 3_600_000 })
  const exp = Math.floor(Date.now() / 1000) + 3600
  for (let i = 0; i < n; i++) {
    const claims = {
      iss: 'https://login.example.com',
      aud: 'bench-api',
      sub: `005xx000001${String(i).padStart(7, '0')}`,
      iat: exp - 3600,
      exp,
      jti: randomBytes(12).toString('base64url'),
      scope: 'orders:read orders:write',
      email: `user${i}@example.com`,
    }
    const scopes = Object.freeze(claims.scope.split(' '))
    const value = Object.freeze({
      claims: Object.freeze(claimsForEvent(claims)),
      grantedScopes: scopes,
      scopes,
    })
    await cache.getOrVerify(tokenOf(i), async () => ({ value, expSeconds: exp }))
  }
  return {
    lookup: (i) =>
      cache.getOrVerify(tokenOf(i), () => Promise.reject(new Error(`miss at ${i} (cache ${cache.size})`))),
    keep: cache,
  }
}

async function fillLambda(n: number): Promise<{ lookup: (i: number) => Promise<unknown>; keep: unknown }> {
  const cache = new AuthorizerResultCache(n)
  const format = { contextValues: 'scalars-as-strings', simpleResponses: false } as const
  const keyOf = (i: number): string => resultCacheKey('bearer', 'dev', [`Bearer ${tokenOf(i)}`])
  for (let i = 0; i < n; i++) {
    const sub = `005xx000001${String(i).padStart(7, '0')}`
    const parsed = parseAuthorizerOutput(
      {
        principalId: sub,
        policyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Action: 'execute-api:Invoke',
              Effect: 'Allow',
              Resource: 'arn:aws:execute-api:us-east-1:123456789012:forcegate0/dev/*',
            },
          ],
        },
        context: { sub, tier: 'standard' },
      },
      format,
    )
    if (!parsed.ok) throw new Error(parsed.detail)
    await cache.getOrLoad(keyOf(i), 3_600_000, async () => ({ output: parsed.output, latencyMs: 1 }))
  }
  return {
    lookup: (i) => cache.getOrLoad(keyOf(i), 3_600_000, () => Promise.reject(new Error(`miss at ${i}`))),
    keep: cache,
  }
}

/**
 * The Salesforce enforcer's identity cache, filled with identities shaped as an introspection
 * answer resolves them; a hit is the enforcer's lookup (token digest, then the positive map).
 */
async function fillSalesforce(
  n: number,
): Promise<{ lookup: (i: number) => Promise<unknown>; keep: unknown }> {
  const cache = new IdentityCache(Date.now, { ttlMs: 3_600_000, negativeTtlMs: 10_000, maxEntries: n })
  const expiresAt = Date.now() + 3_600_000
  for (let i = 0; i < n; i++) {
    const identity = Object.freeze({
      userId: `005xx000001${String(i).padStart(7, '0')}`,
      orgId: '00Dxx0000001gPLEAY',
      username: `user${i}@example.com`,
      clientId: '3MVG9benchclientid',
      scopes: Object.freeze(['api', 'refresh_token']),
      tokenKind: 'opaque' as const,
      expiresAt,
    })
    cache.remember(IdentityCache.keyOf(tokenOf(i)), identity)
  }
  return {
    lookup: async (i) => {
      const hit = cache.identity(IdentityCache.keyOf(tokenOf(i)))
      if (hit === undefined) throw new Error(`miss at ${i}`)
      return hit
    },
    keep: cache,
  }
}

const FILL = { jwt: fillJwt, lambda: fillLambda, salesforce: fillSalesforce }

async function main(kind: CacheKind, n: number): Promise<void> {
  // Warm the code paths on a throw-away cache so JIT code is not counted as cache memory.
  await FILL[kind](1000)
  const before = settle()
  const started = performance.now()
  const filled = await FILL[kind](n)
  const fillSeconds = (performance.now() - started) / 1000
  const after = settle()
  let hits = 0
  const end = performance.now() + 1000
  let i = 0
  while (performance.now() < end) {
    for (let k = 0; k < 256; k++) {
      i = (i * 1103515245 + 12345) % 2147483648
      await filled.lookup(i % n)
    }
    hits += 256
  }
  const result: CacheMemoryResult = {
    cache: kind,
    entries: n,
    heapBytesPerEntry: (after.heap - before.heap) / n,
    rssBytesPerEntry: (after.rss - before.rss) / n,
    fillSeconds,
    hitsPerSecond: hits / ((performance.now() - end + 1000) / 1000),
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
  void filled.keep
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const kind = (process.argv[2] ?? 'jwt') as CacheKind
  if (!(kind in FILL)) throw new Error(`unknown cache ${kind}`)
  await main(kind, Number(process.argv[3] ?? 1000))
}
