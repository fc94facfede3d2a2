/**
 * forcegate scaled out. `fg-plan-local` and `fg-plan-redis`: the same usage-plan route (the
 * Salesforce route of `fg-salesforce` with a required contract whose plan has a throttle and a
 * daily quota, both far above what a run sends, so every request is counted and admitted), the
 * first counting in the process, the second in a redis-server this run starts on a loopback port
 * (one Lua script per request). `fg-workers-1` and `fg-workers-2`: the aws_proxy Lambda route
 * under `serve --workers 1` and `--workers 2`, both unpinned so that the second worker can use
 * the second CPU, which the load generator is pinned to as well.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { SecretBox } from '../../src/store/secret-box.ts'
import { SqlitePartnerStore } from '../../src/store/sqlite-partner-store.ts'
import { apiDocument, httpProxy, lambdaProxy, startForcegate } from '../lib/forcegate.ts'
import { type Bounded, spawnBounded, waitForPort } from '../lib/proc.ts'
import {
  type BenchContext,
  fixture,
  type Scenario,
  type Started,
  startNodeServer,
  Unavailable,
} from '../lib/scenario.ts'
import { which } from '../lib/tools.ts'

interface DevOrgInfo {
  readonly issuer: string
  readonly orgId: string
  readonly introspection: { readonly clientId: string; readonly clientSecret: string }
  readonly token: string
}

interface PlanSetup {
  readonly info: DevOrgInfo
  /** The client id the token was issued to: the partner client holding the contract. */
  readonly clientId: string
  readonly org: Bounded
  readonly redis: Bounded | Error
  readonly redisUrl: string
}

const PLAN = {
  name: 'bench',
  throttle: { rateLimit: 1_000_000_000, burstLimit: 1_000_000_000 },
  quota: { limit: 1_000_000_000, period: 'DAY' },
}

let planSetup: Promise<PlanSetup> | undefined

/** One dev org and one redis-server for both usage-plan variants, started once. */
function sharedPlanSetup(ctx: BenchContext): Promise<PlanSetup> {
  planSetup ??= (async () => {
    const out = join(ctx.workDir, 'plan-devorg.json')
    rmSync(out, { force: true })
    const org = await startNodeServer(
      ctx,
      'plan-devorg',
      fixture('devorg.ts'),
      { OUT: out },
      ctx.cpus.helpers,
    )
    for (let i = 0; i < 100 && !existsSync(out); i++) await sleep(100)
    if (!existsSync(out)) throw new Unavailable('the dev org did not mint a token')
    const info = JSON.parse(readFileSync(out, 'utf8')) as DevOrgInfo
    const introspected = await fetch(`${info.issuer}/services/oauth2/introspect`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: info.token,
        client_id: info.introspection.clientId,
        client_secret: info.introspection.clientSecret,
      }),
    })
    const { client_id: clientId } = (await introspected.json()) as { client_id?: string }
    if (clientId === undefined) throw new Unavailable('the dev org did not name the token client')
    const port = await ctx.nextPort()
    const redisUrl = `redis://127.0.0.1:${port}`
    const bin = which('redis-server')
    let redis: Bounded | Error = new Unavailable('redis-server not installed (Debian package redis-server)')
    if (bin !== undefined) {
      const handle = spawnBounded(
        bin,
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          ctx.workDir,
        ],
        {
          name: 'redis-server',
          lifetimeSeconds: ctx.lifetimeSeconds,
          cpus: ctx.cpus.helpers,
          logFile: join(ctx.logDir, 'redis.log'),
        },
      )
      try {
        await waitForPort(handle, port, 20_000)
        redis = handle
      } catch (error) {
        redis = error as Error
      }
    }
    return { info, clientId, org: org.handle, redis, redisUrl }
  })()
  return planSetup
}

/** A partner store holding the token's client with an active contract for `bench` on the plan. */
async function seedPartnerStore(path: string, key: string, clientId: string): Promise<void> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true })
  const store = new SqlitePartnerStore({ path, secretBox: SecretBox.fromBase64(key) })
  const now = Date.now()
  try {
    await store.insertClient(
      {
        clientId,
        partnerId: 'bench-partner',
        name: 'bench partner',
        redirectUris: ['http://127.0.0.1/callback'],
        contact: undefined,
        grantedScopes: ['api'],
        status: 'active',
        registrationClientUri: 'http://127.0.0.1/unused',
        clientIdIssuedAt: undefined,
        clientSecretExpiresAt: undefined,
        rotatedFrom: undefined,
        createdAt: now,
        updatedAt: now,
      },
      { clientSecret: undefined, registrationAccessToken: 'unused' },
      [
        {
          clientId,
          api: 'bench',
          scopes: ['api'],
          usagePlan: PLAN.name,
          status: 'active',
          createdAt: now,
          updatedAt: now,
        },
      ],
    )
  } finally {
    await store.close()
  }
}

function planScenario(id: string, label: string, redis: boolean): Scenario {
  return {
    id,
    label,
    kind: 'forcegate',
    path: '/api/items',
    async start(ctx): Promise<Started> {
      const setup = await sharedPlanSetup(ctx)
      if (redis && setup.redis instanceof Error) throw setup.redis
      const key = randomBytes(32).toString('base64')
      const storePath = join(ctx.workDir, `${id}-partners.db`)
      await seedPartnerStore(storePath, key, setup.clientId)
      const op = httpProxy(`${ctx.upstreamUrl}/{proxy}`)['x-amazon-apigateway-any-method']
      const started = await startForcegate(
        ctx,
        id,
        apiDocument(
          `bench ${id}`,
          {
            '/{proxy+}': { 'x-amazon-apigateway-any-method': { ...op, security: [{ salesforce: ['api'] }] } },
          },
          {
            http: true,
            schemes: {
              salesforce: {
                type: 'oauth2',
                flows: {},
                'x-forcegate-salesforce': {
                  org: 'bench',
                  accept: ['opaque'],
                  contract: 'required',
                  api: 'bench',
                  cacheTtlSeconds: 300,
                },
              },
            },
          },
        ),
        {
          config: {
            salesforce: {
              orgs: {
                bench: {
                  issuer: setup.info.issuer,
                  orgId: setup.info.orgId,
                  introspection: {
                    clientId: setup.info.introspection.clientId,
                    clientSecret: { env: 'BENCH_SF_SECRET' },
                  },
                },
              },
            },
            partners: {
              org: { url: setup.info.issuer, initialAccessToken: { env: 'BENCH_IAT' } },
              store: { path: storePath },
              encryption: { key: { env: 'BENCH_PARTNERS_KEY' } },
              usagePlans: [PLAN],
            },
            ...(redis ? { stores: { redis: { url: { env: 'BENCH_REDIS_URL' } } } } : {}),
          },
          env: {
            BENCH_SF_SECRET: setup.info.introspection.clientSecret,
            BENCH_IAT: 'unused',
            BENCH_PARTNERS_KEY: key,
            BENCH_REDIS_URL: setup.redisUrl,
          },
        },
      )
      const owned = [setup.org, ...(setup.redis instanceof Error ? [] : [setup.redis])]
      return {
        ...started,
        owned: [...started.owned, ...owned],
        headers: { Authorization: `Bearer ${setup.info.token}` },
      }
    },
  }
}

export const forcegatePlanLocal = planScenario(
  'fg-plan-local',
  'forcegate usage plan (throttle + daily quota), counted in the process',
  false,
)

export const forcegatePlanRedis = planScenario(
  'fg-plan-redis',
  'forcegate usage plan (throttle + daily quota), counted in Redis (stores.redis)',
  true,
)

function workersScenario(workers: number): Scenario {
  return {
    id: `fg-workers-${workers}`,
    label: `forcegate aws_proxy Lambda handler, serve --workers ${workers} (unpinned)`,
    kind: 'forcegate',
    path: '/api/items',
    start: (ctx) =>
      startForcegate(
        ctx,
        `workers-${workers}`,
        apiDocument(`bench workers ${workers}`, {
          '/{proxy+}': {
            'x-amazon-apigateway-any-method': {
              'x-amazon-apigateway-integration': lambdaProxy('bench-hello'),
            },
          },
        }),
        { serveArgs: ['--workers', String(workers)], cpus: null },
      ),
  }
}

export const forcegateWorkers1 = workersScenario(1)
export const forcegateWorkers2 = workersScenario(2)
