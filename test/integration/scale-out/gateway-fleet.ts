import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as oidc from 'openid-client'
import type { DevOrg } from '../../../devorg/index.ts'
import { authorizeInteractively, Browser } from '../../devorg/oauth/browser.ts'
import { type ServingCli, serveCli } from '../../helpers/cli-process.ts'
import { devorgSalesforceYaml, WHOAMI_HANDLER } from '../../helpers/devorg-gateway-config.ts'
import { lambdaOp, type TempApi, tempApi } from '../../helpers/temp-api.ts'
import { openapi } from '../../helpers/test-gateway.ts'

const USER = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }
const REDIRECT = 'http://127.0.0.1:8767/callback'

interface Credentials {
  readonly clientId: string
  readonly clientSecret: string
}

interface FleetOptions {
  /** Distinguishes the environment variables and Redis keys of fleets in one test process. */
  readonly name: string
  readonly org: DevOrg
  readonly redisUrl: string
  readonly postgresUrl: string
  readonly onStoreError: 'closed' | 'local'
  readonly commandTimeoutMs: number
  readonly queryTimeoutMs: number
  /** Absent: the default bound. */
  readonly changePollMs?: number
  /** Usage plans as forcegate.yaml lines under `usagePlans:`. */
  readonly usagePlans: readonly string[]
  /** APIs guarded by contracts: each has the route /<api>/{id}. */
  readonly apis: readonly string[]
}

/**
 * Three `forcegate serve` processes over one forcegate.yaml that shares a Redis for usage plans
 * and a PostgreSQL for partners, with one dev org as the Salesforce org and the partners' org.
 */
export class GatewayFleet {
  readonly adminToken = randomBytes(24).toString('base64url')
  readonly instances: ServingCli[] = []
  readonly #org: DevOrg
  #api: TempApi | undefined

  private constructor(org: DevOrg) {
    this.#org = org
  }

  static async start(options: FleetOptions): Promise<GatewayFleet> {
    const fleet = new GatewayFleet(options.org)
    const env = (key: string) => `${options.name}_${key}`
    Object.assign(process.env, {
      [env('IAT')]: options.org.seed.initialAccessToken,
      [env('KEY')]: randomBytes(32).toString('base64'),
      [env('ADMIN')]: fleet.adminToken,
      [env('REDIS')]: options.redisUrl,
      [env('PG')]: options.postgresUrl,
    })
    const scheme = (api: string) => ({
      type: 'oauth2',
      flows: {
        authorizationCode: {
          authorizationUrl: 'http://127.0.0.1/a',
          tokenUrl: 'http://127.0.0.1/t',
          scopes: { api: 'API' },
        },
      },
      'x-forcegate-salesforce': { org: 'devorg', contract: 'required', api, cacheTtlSeconds: 60 },
    })
    const paths = Object.fromEntries(
      options.apis.map((api) => [
        `/${api}/{id}`,
        { get: { ...lambdaOp('whoami'), security: [{ [api]: ['api'] }] } },
      ]),
    )
    const schemes = Object.fromEntries(options.apis.map((api) => [api, scheme(api)]))
    fleet.#api = await tempApi(openapi(paths, { components: { securitySchemes: schemes } }), {
      'whoami.mjs': WHOAMI_HANDLER,
    })
    const yaml = [
      'log: { level: info, access: false }',
      ...devorgSalesforceYaml(options.org, env('SF_SECRET')),
      'partners:',
      '  org:',
      `    url: ${options.org.url}`,
      `    initialAccessToken: { env: ${env('IAT')} }`,
      `  store: { path: ${JSON.stringify(`${fleet.#api.dir}/unused.db`)} }`,
      `  encryption: { key: { env: ${env('KEY')} } }`,
      // Decisions stay cached far longer than the bound, so only the change feed explains a refusal.
      '  contractCacheTtlSeconds: 3600',
      '  usagePlans:',
      ...options.usagePlans.map((line) => `    ${line}`),
      `  admin: { token: { env: ${env('ADMIN')} } }`,
      'stores:',
      '  redis:',
      `    url: { env: ${env('REDIS')} }`,
      `    onStoreError: ${options.onStoreError}`,
      '    instances: 3',
      `    commandTimeoutMs: ${options.commandTimeoutMs}`,
      '    retryAfterSeconds: 3',
      `    keyPrefix: ${options.name.toLowerCase()}`,
      '  postgres:',
      `    url: { env: ${env('PG')} }`,
      `    queryTimeoutMs: ${options.queryTimeoutMs}`,
      ...(options.changePollMs === undefined ? [] : [`    changePollMs: ${options.changePollMs}`]),
      '',
    ].join('\n')
    const configFile = await fleet.#api.file('forcegate.yaml', yaml)
    try {
      // One after the other: the first migrates the schema, as a rolling start would.
      for (let i = 0; i < 3; i++)
        fleet.instances.push(
          await serveCli(
            ['--api', fleet.#api.apiFile, '--config', configFile, '--functions', fleet.#api.functionsDir],
            60_000,
          ),
        )
    } catch (error) {
      await fleet.close()
      throw error
    }
    return fleet
  }

  /** Distinct operating-system processes, none of them this one. */
  get pids(): number[] {
    return this.instances.map((i) => i.child.pid!)
  }

  async admin(index: number, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.instances[index]!.url}/_forcegate/partners${path}`, {
      method,
      headers: { authorization: `Bearer ${this.adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    })
    const text = await response.text()
    assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${text}`)
    return JSON.parse(text) as Record<string, unknown>
  }

  /** Registers a partner through instance `index` with one contract per API and plan. */
  async register(
    index: number,
    name: string,
    contracts: readonly { api: string; usagePlan?: string }[],
  ): Promise<Credentials> {
    const registered = await this.admin(index, 'POST', '', {
      name,
      redirectUris: [REDIRECT],
      contracts: contracts.map((c) => ({ scopes: ['api'], ...c })),
    })
    return registered.credentials as Credentials
  }

  /** An access token of the client, through the org's authorization code flow (PKCE). */
  async tokenFor(credentials: Credentials): Promise<string> {
    const config = await oidc.discovery(
      new URL(this.#org.issuer),
      credentials.clientId,
      credentials.clientSecret,
      undefined,
      { execute: [oidc.allowInsecureRequests] },
    )
    const verifier = oidc.randomPKCECodeVerifier()
    const state = oidc.randomState()
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'api',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    })
    const callback = await authorizeInteractively(new Browser(), url.href, USER)
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    })
    return tokens.access_token
  }

  /**
   * One call to instance `index`; every call has a deadline, so a hang fails the test instead
   * of stalling it. Resolves with the status, the headers and how long the answer took.
   */
  async call(
    index: number,
    path: string,
    token: string,
  ): Promise<{ status: number; headers: Headers; body: string; ms: number }> {
    const started = performance.now()
    const response = await fetch(`${this.instances[index % 3]!.url}${path}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(15_000),
    })
    const body = await response.text()
    return { status: response.status, headers: response.headers, body, ms: performance.now() - started }
  }

  /** Calls each instance until it answers `status`; resolves with how long the slowest took. */
  async allAnswer(path: string, token: string, status: number, deadlineMs: number): Promise<number> {
    const started = performance.now()
    const took = await Promise.all(
      this.instances.map(async (_, i) => {
        let last = 0
        while (performance.now() - started < deadlineMs) {
          last = (await this.call(i, path, token)).status
          if (last === status) return performance.now() - started
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
        assert.fail(`instance ${i} still answers ${last}, not ${status}, after ${deadlineMs} ms`)
      }),
    )
    return Math.max(...took)
  }

  async close(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.stop()))
    await this.#api?.remove()
  }
}
