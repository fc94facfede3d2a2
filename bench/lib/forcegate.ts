/**
 * Starts forcegate the way a user does: `node bin/forcegate.js serve --api <doc> --config
 * <forcegate.yaml> --port <n>`, with an API document and gateway file written to the scratch
 * folder. Logging is at `warn` with the access log off, as the peers run without logs.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { spawnBounded, waitForPort } from './proc.ts'
import type { BenchContext, Started } from './scenario.ts'
import { NODE, REPO_DIR } from './tools.ts'

export const FUNCTIONS_DIR = new URL('../fixtures/functions', import.meta.url).pathname

const LAMBDA_URI = (name: string): string =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`

export const httpProxy = (uri: string) => ({
  'x-amazon-apigateway-any-method': {
    'x-amazon-apigateway-integration': {
      type: 'http_proxy',
      httpMethod: 'ANY',
      uri,
      payloadFormatVersion: '1.0',
    },
  },
})

export const lambdaProxy = (fn: string) => ({
  type: 'aws_proxy',
  httpMethod: 'POST',
  uri: LAMBDA_URI(fn),
  payloadFormatVersion: '1.0',
})

export const tokenAuthorizerScheme = (fn: string, ttlSeconds: number) => ({
  type: 'apiKey',
  name: 'Authorization',
  in: 'header',
  'x-amazon-apigateway-authtype': 'custom',
  'x-amazon-apigateway-authorizer': {
    type: 'token',
    authorizerUri: LAMBDA_URI(fn),
    authorizerResultTtlInSeconds: ttlSeconds,
  },
})

export const jwtAuthorizerScheme = (issuer: string, audience: string) => ({
  type: 'oauth2',
  flows: {},
  'x-amazon-apigateway-authorizer': {
    type: 'jwt',
    identitySource: '$request.header.Authorization',
    jwtConfiguration: { issuer, audience: [audience] },
  },
})

/** An OpenAPI document; `http: true` makes it an HTTP API (API Gateway's export marker). */
export function apiDocument(
  title: string,
  paths: Record<string, unknown>,
  extra: { http?: boolean; schemes?: Record<string, unknown> } = {},
): Record<string, unknown> {
  return {
    openapi: '3.0.1',
    info: { title, version: '1' },
    ...(extra.http === true ? { 'x-amazon-apigateway-importexport-version': '1.0' } : {}),
    ...(extra.schemes === undefined ? {} : { components: { securitySchemes: extra.schemes } }),
    paths,
  }
}

/** What starting forcegate needs of a bench run (the soak brings its own issuer, hence no identity). */
export type ForcegateContext = Pick<
  BenchContext,
  'workDir' | 'logDir' | 'nextPort' | 'lifetimeSeconds' | 'cpus'
> & {
  readonly identity?: { readonly jwksFile: string }
}

export async function startForcegate(
  ctx: ForcegateContext,
  name: string,
  document: Record<string, unknown>,
  options: {
    readyTimeoutMs?: number
    config?: Record<string, unknown>
    env?: Record<string, string>
    /** Node options before the script (a `--import` preload, for instance). */
    nodeArgs?: readonly string[]
    /** Folder of the Lambda handler modules (default: the bench's fixtures). */
    functionsDir?: string
    /** More `serve` arguments (`--workers 2`, for instance). */
    serveArgs?: readonly string[]
    /** CPUs for the gateway instead of the server's (`null`: not pinned). */
    cpus?: string | null
  } = {},
): Promise<Started> {
  const dir = join(ctx.workDir, 'forcegate', name)
  mkdirSync(dir, { recursive: true })
  const apiFile = join(dir, 'openapi.yaml')
  writeFileSync(apiFile, stringify(document))
  const configFile = join(dir, 'forcegate.yaml')
  writeFileSync(configFile, stringify({ log: { level: 'warn', access: false }, ...options.config }))
  const port = await ctx.nextPort()
  const spawnedAt = Date.now()
  const handle = spawnBounded(
    NODE,
    [
      ...(options.nodeArgs ?? []),
      join(REPO_DIR, 'bin', 'forcegate.js'),
      'serve',
      '--api',
      apiFile,
      '--config',
      configFile,
      '--functions',
      options.functionsDir ?? FUNCTIONS_DIR,
      '--port',
      String(port),
      ...(options.serveArgs ?? []),
    ],
    {
      name: `forcegate ${name}`,
      lifetimeSeconds: ctx.lifetimeSeconds,
      cpus: options.cpus === undefined ? ctx.cpus.server : (options.cpus ?? undefined),
      cwd: REPO_DIR,
      env: {
        ...(ctx.identity === undefined ? {} : { BENCH_JWKS_FILE: ctx.identity.jwksFile }),
        ...options.env,
      },
      logFile: join(ctx.logDir, `forcegate-${name}.log`),
    },
  )
  await waitForPort(handle, port, options.readyTimeoutMs ?? 30_000)
  return {
    url: `http://127.0.0.1:${port}`,
    measured: [handle],
    owned: [handle],
    startupMs: Date.now() - spawnedAt,
  }
}
