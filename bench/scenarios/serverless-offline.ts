/**
 * Peer: the Serverless Framework v3 with serverless-offline (in-process mode), a TOKEN
 * authorizer (300 s TTL configured) in front of a Lambda proxy handler. Both handlers are the
 * same modules forcegate runs (bench/fixtures/functions), written out as plain JavaScript.
 * serverless@3 and serverless-offline are installed into bench/.work/peers/serverless at run
 * time (serverless-offline 14 declares serverless 4 as its peer, which needs a login, hence
 * --legacy-peer-deps); serverless.yml is written there too.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { stripTypeScriptTypes } from 'node:module'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { FUNCTIONS_DIR } from '../lib/forcegate.ts'
import { spawnBounded, stop, waitForPort } from '../lib/proc.ts'
import { type Scenario, Unavailable } from '../lib/scenario.ts'
import { AUDIENCE } from '../lib/tokens.ts'
import { ensureNpmPeer, NODE } from '../lib/tools.ts'

export const SERVERLESS_PACKAGES = ['serverless@3.40.0', 'serverless-offline@14.8.2']

export const serverlessOffline: Scenario = {
  id: 'sls',
  label: 'serverless-offline (v3, in-process): TOKEN authorizer + Lambda proxy',
  kind: 'peer',
  path: '/api/items',
  async start(ctx) {
    let dir: string
    try {
      dir = await ensureNpmPeer('serverless', SERVERLESS_PACKAGES, ctx.log, ['--legacy-peer-deps'])
    } catch (err) {
      throw new Unavailable((err as Error).message)
    }
    for (const fn of ['bench-token-auth', 'bench-hello']) {
      const source = readFileSync(join(FUNCTIONS_DIR, `${fn}.ts`), 'utf8')
      writeFileSync(join(dir, `${fn}.mjs`), stripTypeScriptTypes(source))
    }
    const httpPort = await ctx.nextPort()
    const lambdaPort = await ctx.nextPort()
    writeFileSync(
      join(dir, 'serverless.yml'),
      stringify({
        service: 'forcegate-bench',
        frameworkVersion: '3',
        provider: {
          name: 'aws',
          runtime: 'nodejs20.x',
          region: 'us-east-1',
          stage: 'dev',
          environment: { BENCH_JWKS_FILE: ctx.identity.jwksFile, BENCH_AUDIENCE: AUDIENCE },
        },
        plugins: ['serverless-offline'],
        custom: {
          'serverless-offline': {
            host: '127.0.0.1',
            httpPort,
            lambdaPort,
            noPrependStageInUrl: true,
            noTimeout: true,
            useInProcess: true,
          },
        },
        functions: {
          authorizer: { handler: 'bench-token-auth.handler' },
          hello: {
            handler: 'bench-hello.handler',
            events: [
              {
                http: {
                  path: '{proxy+}',
                  method: 'any',
                  authorizer: {
                    name: 'authorizer',
                    type: 'token',
                    identitySource: 'method.request.header.Authorization',
                    resultTtlInSeconds: 300,
                  },
                },
              },
            ],
          },
        },
      }),
    )
    const handle = spawnBounded(
      NODE,
      [join(dir, 'node_modules', 'serverless', 'bin', 'serverless.js'), 'offline', 'start', '--useInProcess'],
      {
        name: 'serverless-offline',
        lifetimeSeconds: ctx.lifetimeSeconds,
        cpus: ctx.cpus.server,
        cwd: dir,
        env: {
          SLS_TELEMETRY_DISABLED: '1',
          SLS_NOTIFICATIONS_MODE: 'off',
          SLS_DEPRECATION_DISABLE: '*',
          BENCH_JWKS_FILE: ctx.identity.jwksFile,
          BENCH_AUDIENCE: AUDIENCE,
        },
        logFile: join(ctx.logDir, 'serverless-offline.log'),
      },
    )
    try {
      await waitForPort(handle, httpPort, 90_000)
    } catch (err) {
      await stop(handle)
      throw new Unavailable((err as Error).message.split('\n').slice(0, 3).join(' '))
    }
    return { url: `http://127.0.0.1:${httpPort}`, measured: [handle], owned: [handle] }
  },
}
