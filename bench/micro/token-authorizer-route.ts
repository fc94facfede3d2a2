/**
 * The per-request work of the fg-token scenario without sockets: the gateway's route table for
 * a REST API whose `ANY /{proxy+}` is guarded by a TOKEN Lambda authorizer (result cached
 * 300 s, wildcard policy) in front of an `aws_proxy` function, driven through the request
 * runner with in-memory requests and responses. Functions are registered in-process, so what
 * is measured is the gateway's own cost: receive, route, authorizer cache hit and policy
 * evaluation, the proxy event, the function's answer mapped and written. Prints requests per
 * second of wall time and per second of the process's CPU time (steadier on a shared machine).
 *
 *   node bench/micro/token-authorizer-route.ts [ms=5000] [concurrency=32] [roots=../..] [rounds=1]
 *
 * `roots` are the checkouts whose src/ is measured, comma-separated (an older revision
 * extracted beside this one): they take turns in `rounds` slices within one process, so a
 * comparison shares the machine's conditions.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ms = Number(process.argv[2] ?? 5000)
const concurrency = Number(process.argv[3] ?? 32)
const here = fileURLToPath(new URL('.', import.meta.url))
const roots = (process.argv[4] ?? '../..').split(',').map((r) => resolve(here, r))
const rounds = Number(process.argv[5] ?? 1)

const uri = (name: string): string =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`

const API = {
  openapi: '3.0.3',
  info: { title: 'micro token authorizer', version: '1' },
  paths: {
    '/{proxy+}': {
      'x-amazon-apigateway-any-method': {
        'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: uri('micro-hello') },
      },
    },
  },
  components: {
    securitySchemes: {
      bearer: {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authtype': 'custom',
        'x-amazon-apigateway-authorizer': {
          type: 'token',
          authorizerUri: uri('micro-token-auth'),
          authorizerResultTtlInSeconds: 300,
        },
      },
    },
  },
  security: [{ bearer: [] }],
}

const BODY = JSON.stringify({ ok: true, service: 'bench', pad: 'x'.repeat(64) })

interface Modules {
  compileRoutes: (api: unknown, gateway: unknown, deps: unknown) => Promise<unknown>
  createRouteAuthCompiler: (deps: unknown) => unknown
  readApiDocument: (doc: unknown) => unknown
  parseSourceText: (file: string, text: string) => unknown
  readGatewayFile: (file: undefined) => unknown
  runPipeline: (req: unknown, res: unknown, options: unknown) => Promise<void>
  LocalLambdaInvoker: new () => {
    register(name: string, handler: (event: unknown) => Promise<unknown>): void
    invoke(...args: unknown[]): Promise<unknown>
  }
  createLogger: (level: string) => unknown
}

async function load(root: string): Promise<Modules> {
  const from = async <T>(path: string): Promise<T> =>
    (await import(pathToFileURL(join(root, path)).href)) as T
  return {
    ...(await from<Pick<Modules, 'compileRoutes'>>('src/pipeline/compile-routes.ts')),
    ...(await from<Pick<Modules, 'createRouteAuthCompiler'>>('src/pipeline/compile-route-auth.ts')),
    ...(await from<Pick<Modules, 'readApiDocument'>>('src/config/openapi/read-api-document.ts')),
    ...(await from<Pick<Modules, 'parseSourceText'>>('src/config/source-document.ts')),
    ...(await from<Pick<Modules, 'readGatewayFile'>>('src/config/read-gateway-file.ts')),
    ...(await from<Pick<Modules, 'runPipeline'>>('src/pipeline/run.ts')),
    ...(await from<Pick<Modules, 'LocalLambdaInvoker'>>('src/aws/local-lambda-invoker.ts')),
    ...(await from<Pick<Modules, 'createLogger'>>('src/observability/logger.ts')),
  }
}

/** What the runner reads of a request that arrived complete and without a body. */
function request(): unknown {
  return {
    method: 'GET',
    url: '/api/items',
    httpVersion: '1.1',
    rawHeaders: ['Host', '127.0.0.1:8080', 'User-Agent', 'autocannon', 'Authorization', 'Bearer micro-token'],
    headers: { host: '127.0.0.1:8080', 'user-agent': 'autocannon', authorization: 'Bearer micro-token' },
    socket: { remoteAddress: '127.0.0.1' },
    complete: true,
    readableEnded: true,
    destroyed: false,
    on() {},
    once() {},
    off() {},
  }
}

/** What the runner writes to; `done` is called when the answer ends. */
function response(done: (status: number) => void): unknown {
  const res = {
    statusCode: 200,
    headersSent: false,
    writableFinished: false,
    writeHead(status: number) {
      res.statusCode = status
      res.headersSent = true
      return res
    },
    end() {
      res.writableFinished = true
      done(res.statusCode)
      return res
    },
    destroy() {},
    on() {},
    once() {},
    off() {},
    emit() {},
  }
  return res
}

interface Runner {
  readonly root: string
  /** Drives the runner for `ms`; the requests answered and the CPU seconds spent. */
  measure(ms: number): Promise<{ readonly requests: number; readonly cpuSeconds: number }>
}

async function setup(root: string): Promise<Runner> {
  const m = await load(root)
  const invoker = new m.LocalLambdaInvoker()
  invoker.register('micro-token-auth', async (event) => {
    const [prefix, stage] = String((event as { methodArn: string }).methodArn).split('/')
    return {
      principalId: 'user-1',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${prefix}/${stage}/*` }],
      },
      context: { sub: 'user-1' },
    }
  })
  invoker.register('micro-hello', async () => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: BODY,
  }))
  const loadFunction = async (): Promise<void> => {}
  const dir = mkdtempSync(join(tmpdir(), 'fg-micro-'))
  const file = join(dir, 'openapi.json')
  writeFileSync(file, JSON.stringify(API))
  const doc = m.parseSourceText(file, JSON.stringify(API))
  const config = m.readGatewayFile(undefined)
  const table = await m.compileRoutes(m.readApiDocument(doc), config, {
    invoker,
    loadFunction,
    compileAuth: m.createRouteAuthCompiler({
      invoker,
      clock: Date.now,
      loadFunction,
      lineOf: () => undefined,
      salesforceOrgs: new Map(),
      partners: undefined,
    }),
  })
  const options = { table, log: m.createLogger('silent'), accessLog: false, clock: Date.now }

  let completed = 0
  let failed = 0
  let deadline = Number.POSITIVE_INFINITY
  const one = (): Promise<void> =>
    new Promise<void>((resolveOne) => {
      const res = response((status) => {
        if (status === 200) completed++
        else failed++
        resolveOne()
      })
      void m.runPipeline(request(), res, options)
    })
  // The in-process functions answer in microtasks, so no timer would ever fire: read the clock.
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) await one()
  }
  // Warm-up: fill the authorizer cache and let the JIT settle.
  for (let i = 0; i < 2000; i++) await one()
  rmSync(dir, { recursive: true, force: true })
  return {
    root,
    async measure(slice) {
      completed = 0
      const cpuBefore = process.cpuUsage()
      deadline = performance.now() + slice
      await Promise.all(Array.from({ length: concurrency }, worker))
      const cpu = process.cpuUsage(cpuBefore)
      if (failed > 0) throw new Error(`${failed} requests did not answer 200`)
      return { requests: completed, cpuSeconds: (cpu.user + cpu.system) / 1e6 }
    },
  }
}

/** Several checkouts in one process take turns, so that they share the machine's conditions. */
async function main(): Promise<void> {
  const runners: Runner[] = []
  for (const root of roots) runners.push(await setup(root))
  const totals = runners.map(() => ({ requests: 0, cpuSeconds: 0, ms: 0 }))
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < runners.length; i++) {
      const started = performance.now()
      const { requests, cpuSeconds } = await runners[i]!.measure(ms / rounds)
      totals[i]!.requests += requests
      totals[i]!.cpuSeconds += cpuSeconds
      totals[i]!.ms += performance.now() - started
    }
  }
  for (let i = 0; i < runners.length; i++) {
    const t = totals[i]!
    process.stdout.write(
      `${JSON.stringify({ root: runners[i]!.root, requests: t.requests, seconds: Number((t.ms / 1000).toFixed(2)), perSecond: Math.round(t.requests / (t.ms / 1000)), perCpuSecond: Math.round(t.requests / t.cpuSeconds) })}\n`,
    )
  }
}

await main()
