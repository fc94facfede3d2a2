import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DevOrg } from '../../devorg/index.ts'
import { type ServingCli, serveCli } from '../helpers/cli-process.ts'
import { devorgSalesforceYaml } from '../helpers/devorg-gateway-config.ts'

const EXAMPLE = new URL('../../examples/customer-sync/', import.meta.url)

/** A user's opaque access token from the dev org (password flow of the Order Portal app). */
export async function userToken(org: DevOrg, username: string, password: string): Promise<string> {
  const app = org.seed.connectedApps.find((a) => a.name === 'Order Portal')!
  const res = await fetch(`${org.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      username,
      password,
    }),
  })
  assert.equal(res.status, 200, await res.clone().text())
  return ((await res.json()) as { access_token: string }).access_token
}

/** SOQL at the dev org as the integration user (Modify All Data): what is really stored. */
export async function soql(
  org: DevOrg,
  query: string,
): Promise<{ totalSize: number; records: Record<string, unknown>[] }> {
  const token = await userToken(org, 'admin@partner.example.com', 'Partner-Admin-1')
  const app = org.seed.connectedApps.find((a) => a.name === 'forcegate Gateway')!
  const minted = await fetch(`${org.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: app.clientId,
      client_secret: app.clientSecret,
    }),
  })
  const integration = minted.ok ? ((await minted.json()) as { access_token: string }).access_token : token
  const res = await fetch(`${org.url}/services/data/v62.0/query?q=${encodeURIComponent(query)}`, {
    headers: { authorization: `Bearer ${integration}` },
  })
  assert.equal(res.status, 200, await res.clone().text())
  return (await res.json()) as { totalSize: number; records: Record<string, unknown>[] }
}

/**
 * forcegate.yaml lines trusting the dev org as `devorg`, with its integration user by client
 * credentials (the `forcegate Gateway` app runs as integration@forcegate.example.com).
 */
export function devorgWriteYaml(org: DevOrg, secretEnv: string): string[] {
  const app = org.seed.connectedApps.find((a) => a.name === 'forcegate Gateway')!
  return [
    ...devorgSalesforceYaml(org, secretEnv),
    '      integrationUser:',
    '        grant: client_credentials',
    `        clientId: ${app.clientId}`,
    `        clientSecret: { env: ${secretEnv} }`,
  ]
}

/** The `x-forcegate-salesforce` security scheme for org `devorg`. */
export const salesforceScheme = {
  type: 'oauth2',
  flows: {
    authorizationCode: {
      authorizationUrl: 'http://127.0.0.1/authorize',
      tokenUrl: 'http://127.0.0.1/token',
      scopes: { api: 'API access' },
    },
  },
  'x-forcegate-salesforce': { org: 'devorg', contract: 'none' },
}

/** The customer-sync example served by `forcegate serve` against a dev org on a free port. */
export async function serveExample(org: DevOrg): Promise<{ gateway: ServingCli; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'forcegate-contracts-'))
  const config = join(dir, 'forcegate.yaml')
  await writeFile(
    config,
    readFileSync(new URL('forcegate.yaml', EXAMPLE), 'utf8').replaceAll('http://127.0.0.1:4400', org.issuer),
  )
  process.env.FORCEGATE_SF_CLIENT_SECRET = org.seed.connectedApps.find(
    (a) => a.name === 'forcegate Gateway',
  )!.clientSecret
  const gateway = await serveCli(['--api', new URL('openapi.yaml', EXAMPLE).pathname, '--config', config])
  return { gateway, dir }
}
