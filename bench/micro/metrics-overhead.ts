/**
 * What metrics cost per request on the fg-token route (a TOKEN Lambda authorizer whose policy
 * is cached, in front of an `aws_proxy` function), without sockets: the same route table driven
 * through the request runner with metrics off and on, in alternating slices of one process so
 * both share the machine's conditions. Every request is counted (route, method, status,
 * latency, integration latency, the authorizer's cache hit) as `serve` counts it.
 *
 *   node bench/micro/metrics-overhead.ts [ms=6000] [concurrency=32] [rounds=6]
 *
 * Prints requests per CPU second (steadier than wall time on a shared machine) for each and
 * their ratio, on / off.
 */

import { LocalLambdaInvoker } from '../../src/aws/local-lambda-invoker.ts'
import { readApiDocument } from '../../src/config/openapi/read-api-document.ts'
import { readGatewayFile } from '../../src/config/read-gateway-file.ts'
import { parseSourceText } from '../../src/config/source-document.ts'
import { createGatewayMetrics, type GatewayMetrics } from '../../src/observability/gateway-metrics.ts'
import { createLogger } from '../../src/observability/logger.ts'
import { createRouteAuthCompiler } from '../../src/pipeline/compile-route-auth.ts'
import { compileRoutes } from '../../src/pipeline/compile-routes.ts'
import { type RunOptions, runPipeline } from '../../src/pipeline/run.ts'

const ms = Number(process.argv[2] ?? 6000)
const concurrency = Number(process.argv[3] ?? 32)
const rounds = Number(process.argv[4] ?? 6)

const uri = (name: string): string =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`

const API = {
  openapi: '3.0.3',
  info: { title: 'micro metrics', version: '1' },
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

function request(): unknown {
  return {
    method: 'GET',
    url: '/api/items',
    httpVersion: '1.1',
    rawHeaders: ['Host', '127.0.0.1:8080', 'Authorization', 'Bearer micro-token'],
    headers: { host: '127.0.0.1:8080', authorization: 'Bearer micro-token' },
    socket: { remoteAddress: '127.0.0.1' },
    complete: true,
    readableEnded: true,
    destroyed: false,
    on() {},
    once() {},
    off() {},
  }
}

/** A response that, like node's, emits 'finish' when it ends. */
function response(done: (status: number) => void): unknown {
  let onFinish: (() => void) | undefined
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
      onFinish?.()
      done(res.statusCode)
      return res
    },
    destroy() {},
    on(event: string, listener: () => void) {
      if (event === 'finish') onFinish = listener
    },
    once() {},
    off() {},
    emit() {},
  }
  return res
}

const invoker = new LocalLambdaInvoker(Date.now)
invoker.register('micro-token-auth', async (event) => {
  const [prefix, stage] = String((event as { methodArn: string }).methodArn).split('/')
  return {
    principalId: 'user-1',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${prefix}/${stage}/*` }],
    },
  }
})
invoker.register('micro-hello', async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: BODY,
}))
const loadFunction = async (): Promise<void> => {}
const doc = parseSourceText('openapi.json', JSON.stringify(API))
const table = await compileRoutes(readApiDocument(doc as never) as never, readGatewayFile(undefined), {
  invoker,
  loadFunction,
  compileAuth: createRouteAuthCompiler({
    invoker,
    clock: Date.now,
    loadFunction,
    lineOf: () => undefined,
    salesforceOrgs: new Map(),
    partners: undefined,
  } as never),
} as never)
const base: RunOptions = { table, log: createLogger('silent'), accessLog: false, clock: Date.now }

async function slice(options: RunOptions, length: number): Promise<{ requests: number; cpuSeconds: number }> {
  let completed = 0
  let failed = 0
  const deadline = performance.now() + length
  const one = (): Promise<void> =>
    new Promise<void>((resolveOne) => {
      const res = response((status) => {
        if (status === 200) completed++
        else failed++
        resolveOne()
      })
      void runPipeline(request() as never, res as never, options)
    })
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) await one()
  }
  const cpuBefore = process.cpuUsage()
  await Promise.all(Array.from({ length: concurrency }, worker))
  const cpu = process.cpuUsage(cpuBefore)
  if (failed > 0) throw new Error(`${failed} requests did not answer 200`)
  return { requests: completed, cpuSeconds: (cpu.user + cpu.system) / 1e6 }
}

// Metrics exist only during their slices: their channels have no subscribers otherwise.
const variants: { name: string; options: () => { options: RunOptions; close(): void } }[] = [
  { name: 'off', options: () => ({ options: base, close() {} }) },
  {
    name: 'on',
    options: () => {
      const metrics: GatewayMetrics = createGatewayMetrics()
      return { options: { ...base, observe: metrics.observe }, close: () => metrics.close() }
    },
  },
]
const totals = variants.map(() => ({ requests: 0, cpuSeconds: 0 }))
for (const variant of variants) {
  const { options, close } = variant.options()
  await slice(options, 500)
  close()
}
for (let round = 0; round < rounds; round++) {
  for (let i = 0; i < variants.length; i++) {
    const { options, close } = variants[(i + round) % variants.length]!.options()
    const { requests, cpuSeconds } = await slice(options, ms / rounds / variants.length)
    close()
    const t = totals[(i + round) % variants.length]!
    t.requests += requests
    t.cpuSeconds += cpuSeconds
  }
}
const perCpu = totals.map((t) => Math.round(t.requests / t.cpuSeconds))
for (let i = 0; i < variants.length; i++)
  process.stdout.write(`metrics ${variants[i]!.name}: ${perCpu[i]} requests per CPU second\n`)
process.stdout.write(`on / off: ${(perCpu[1]! / perCpu[0]!).toFixed(3)}\n`)
