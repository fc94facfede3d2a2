/**
 * The gateway under soak: one HTTP API with a route per kind of traffic, all on 127.0.0.1. JWT
 * (the harness's issuer, whose JWKS rotates), Salesforce enforcement of opaque tokens at the dev
 * org (a short identity cache, so the org's faults reach the gateway), an open passthrough for
 * large bodies and slow clients, and a Lambda that succeeds, fails or outlives its timeout.
 */
import { join } from 'node:path'
import {
  apiDocument,
  type ForcegateContext,
  httpProxy,
  jwtAuthorizerScheme,
  lambdaProxy,
  startForcegate,
} from '../lib/forcegate.ts'
import type { Started } from '../lib/scenario.ts'
import { BENCH_DIR } from '../lib/tools.ts'
import { AUDIENCE } from './keys.ts'

export interface OrgInfo {
  readonly issuer: string
  readonly orgId: string
  readonly introspection: { readonly clientId: string; readonly clientSecret: string }
  readonly token: string
}

const SOAK_DIR = join(BENCH_DIR, 'soak')

export function startSoakGateway(ctx: ForcegateContext, upstreamUrl: string, org: OrgInfo): Promise<Started> {
  const proxy = httpProxy(`${upstreamUrl}/{proxy}`)['x-amazon-apigateway-any-method']
  const secured = (scheme: string, scopes: string[]) => ({
    'x-amazon-apigateway-any-method': { ...proxy, security: [{ [scheme]: scopes }] },
  })
  const fn = {
    'x-amazon-apigateway-any-method': {
      'x-amazon-apigateway-integration': { ...lambdaProxy('soak-fn'), timeoutInMillis: 1000 },
    },
  }
  const document = apiDocument(
    'soak',
    {
      '/jwt/{proxy+}': secured('jwt', []),
      '/sf/{proxy+}': secured('salesforce', ['api']),
      '/open/{proxy+}': { 'x-amazon-apigateway-any-method': proxy },
      '/fn/{proxy+}': fn,
    },
    {
      http: true,
      schemes: {
        jwt: jwtAuthorizerScheme(upstreamUrl, AUDIENCE),
        salesforce: {
          type: 'oauth2',
          flows: {},
          'x-forcegate-salesforce': { org: 'soak', accept: ['opaque'], contract: 'none', cacheTtlSeconds: 2 },
        },
      },
    },
  )
  return startForcegate(ctx, 'soak', document, {
    config: {
      salesforce: {
        orgs: {
          soak: {
            issuer: org.issuer,
            orgId: org.orgId,
            introspection: { clientId: org.introspection.clientId, clientSecret: { env: 'SOAK_SF_SECRET' } },
          },
        },
      },
    },
    env: { SOAK_SF_SECRET: org.introspection.clientSecret },
    nodeArgs: ['--import', join(SOAK_DIR, 'probe.ts')],
    functionsDir: join(SOAK_DIR, 'functions'),
  })
}
