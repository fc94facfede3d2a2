/**
 * forcegate: Salesforce enforcement of an opaque access token, checked by introspection at the
 * org (forcegate's dev org on loopback, pinned with the helpers) and then served from the
 * identity cache (300 s), in front of the http_proxy integration to the upstream: the same
 * route as the passthrough and JWT scenarios, so the ratios isolate the enforcement.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { apiDocument, httpProxy, startForcegate } from '../lib/forcegate.ts'
import { fixture, type Scenario, startNodeServer, Unavailable } from '../lib/scenario.ts'

interface DevOrgInfo {
  readonly issuer: string
  readonly orgId: string
  readonly introspection: { readonly clientId: string; readonly clientSecret: string }
  readonly token: string
}

export const forcegateSalesforce: Scenario = {
  id: 'fg-salesforce',
  label: 'forcegate Salesforce enforcement, opaque token (cached introspection)',
  kind: 'forcegate',
  path: '/api/items',
  async start(ctx) {
    const out = join(ctx.workDir, 'devorg.json')
    rmSync(out, { force: true })
    const org = await startNodeServer(ctx, 'devorg', fixture('devorg.ts'), { OUT: out }, ctx.cpus.helpers)
    for (let i = 0; i < 100 && !existsSync(out); i++) await sleep(100)
    if (!existsSync(out)) throw new Unavailable('the dev org did not mint a token')
    const info = JSON.parse(readFileSync(out, 'utf8')) as DevOrgInfo
    const route = httpProxy(`${ctx.upstreamUrl}/{proxy}`)
    const op = route['x-amazon-apigateway-any-method']
    const started = await startForcegate(
      ctx,
      'salesforce',
      apiDocument(
        'bench salesforce',
        { '/{proxy+}': { 'x-amazon-apigateway-any-method': { ...op, security: [{ salesforce: ['api'] }] } } },
        {
          http: true,
          schemes: {
            salesforce: {
              type: 'oauth2',
              flows: {},
              'x-forcegate-salesforce': {
                org: 'bench',
                accept: ['opaque'],
                contract: 'none',
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
                issuer: info.issuer,
                orgId: info.orgId,
                introspection: {
                  clientId: info.introspection.clientId,
                  clientSecret: { env: 'BENCH_SF_SECRET' },
                },
              },
            },
          },
        },
        env: { BENCH_SF_SECRET: info.introspection.clientSecret },
      },
    )
    return {
      ...started,
      owned: [...started.owned, org.handle],
      headers: { Authorization: `Bearer ${info.token}` },
    }
  },
}
