/**
 * The per-request work of the fg-lambda-mapped route, in-process and without HTTP: the `aws`
 * integration with the scenario's request and response templates, invoking the bench's mapped
 * function through the local invoker, beside the `aws_proxy` integration of fg-lambda invoking
 * its function the same way. Prints invocations per CPU-second for each and their ratio.
 *
 *   node bench/micro/mapped-integration.ts [msPerCase=7000] [mapped|proxy]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/micro/mapped-integration.ts 3000 mapped
 */
import { fileURLToPath } from 'node:url'
import { parseFunctionRef } from '../../src/aws/function-ref.ts'
import { LocalLambdaInvoker } from '../../src/aws/local-lambda-invoker.ts'
import type { RequestView } from '../../src/events/request-view.ts'
import { createLambdaIntegration } from '../../src/integrations/lambda/lambda-integration.ts'
import { createLambdaProxyIntegration } from '../../src/integrations/lambda/lambda-proxy-integration.ts'
import type { Integration, IntegrationCall } from '../../src/integrations/types.ts'

const msPerCase = Number(process.argv[2] ?? 7000)
const only = process.argv[3]
const FUNCTIONS = fileURLToPath(new URL('../fixtures/functions/', import.meta.url))
const uri = (name: string): string =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`

// The scenario's templates (bench/scenarios/forcegate-lambda-mapped.ts).
const REQUEST_TEMPLATE = `{
  "item": "$util.escapeJavaScript($input.params('proxy'))",
  "method": "$context.httpMethod",
  "principal": "anonymous"
}`
const RESPONSE_TEMPLATE = `#set($r = $input.path('$'))
{"ok":$r.ok,"service":"$r.service","item":"$r.item","principal":"$r.principal","pad":"$r.pad"}`

const text = (key: string, value: string, pointer: string) => ({ key, text: value, pointer, line: undefined })

function call(): IntegrationCall {
  const rawHeaders = [
    ['host', '127.0.0.1:8080'],
    ['user-agent', 'autocannon'],
    ['accept', '*/*'],
  ] as const
  const view: RequestView = {
    request: {
      requestId: 'c0ffee00-0000-4000-8000-000000000000',
      method: 'GET',
      path: '/api/items',
      rawQuery: '',
      rawHeaders,
      headers: new Map(rawHeaders.map(([n, v]) => [n, [v]])),
      sourceIp: '127.0.0.1',
      protocol: 'HTTP/1.1',
      receivedAt: Date.now(),
      body: Buffer.alloc(0),
    },
    stage: 'dev',
    resourcePath: '/{proxy+}',
    routeKey: 'ANY /{proxy+}',
    pathParameters: { proxy: 'api/items' },
    stageVariables: null,
    deployment: { apiId: 'forcegate0', accountId: '123456789012', region: 'us-east-1', resourceId: 'abc123' },
  }
  return {
    view,
    authorizer: undefined,
    identityHeaders: [],
    responseHeaders: undefined,
  } as unknown as IntegrationCall
}

async function build(): Promise<Record<string, Integration>> {
  const invoker = new LocalLambdaInvoker()
  const mappedFn = parseFunctionRef(uri('bench-mapped'))!
  const proxyFn = parseFunctionRef(uri('bench-hello'))!
  await invoker.load(mappedFn, [FUNCTIONS], 'bench')
  await invoker.load(proxyFn, [FUNCTIONS], 'bench')
  const mapped = createLambdaIntegration({
    file: 'bench.yaml',
    fn: mappedFn,
    invoker,
    timeoutMs: 29_000,
    binaryMediaTypes: [],
    mapping: {
      pointer: '/paths/~1{proxy+}/x-amazon-apigateway-any-method/x-amazon-apigateway-integration',
      requestTemplates: [text('application/json', REQUEST_TEMPLATE, '/requestTemplates/application~1json')],
      passthroughBehavior: 'WHEN_NO_MATCH',
      requestParameters: [],
      contentHandling: undefined,
      responses: [
        {
          pattern: 'default',
          pointer: '/responses/default',
          line: undefined,
          statusCode: 200,
          parameters: [],
          templates: [text('application/json', RESPONSE_TEMPLATE, '/responses/default/responseTemplates')],
          contentHandling: undefined,
        },
      ],
    },
  })
  const proxy = createLambdaProxyIntegration({
    fn: proxyFn,
    invoker,
    timeoutMs: 29_000,
    payloadFormatVersion: '1.0',
    bodyEncoding: { kind: 'rest', binaryMediaTypes: [] },
  })
  return { 'aws (mapping templates)': mapped, aws_proxy: proxy }
}

/**
 * Invocations per second of this process's CPU time over one `ms` window: on a shared machine,
 * time spent descheduled would otherwise count against whichever case was running.
 */
async function rate(integration: Integration, c: IntegrationCall, ms: number): Promise<number> {
  let n = 0
  const end = performance.now() + ms
  const before = process.cpuUsage()
  while (performance.now() < end) {
    for (let i = 0; i < 200; i++) await integration.invoke(c)
    n += 200
  }
  const used = process.cpuUsage(before)
  return n / ((used.user + used.system) / 1e6)
}

const ROUNDS = 7
const integrations = await build()
const result = await integrations['aws (mapping templates)']!.invoke(call())
if (result.kind !== 'buffered') throw new Error('expected a buffered answer')
console.log('mapped answer:', result.response.status, String(result.response.body))
// The machine is shared: rounds alternate between the integrations and each keeps its best,
// so a burst of load elsewhere lowers one round, not the comparison.
const chosen = Object.entries(integrations).filter(
  ([name]) => only === undefined || name.startsWith(only === 'mapped' ? 'aws (' : 'aws_proxy'),
)
const rates: Record<string, number> = {}
const c = call()
for (const [, integration] of chosen) for (let i = 0; i < 2000; i++) await integration.invoke(c)
for (let round = 0; round < ROUNDS; round++)
  for (const [name, integration] of chosen)
    rates[name] = Math.max(rates[name] ?? 0, await rate(integration, c, msPerCase / ROUNDS))
for (const [name] of chosen)
  console.log(
    `${name.padEnd(26)} ${Math.round(rates[name]!).toLocaleString('en-US').padStart(9)} invocations/s`,
  )
if (only === undefined)
  console.log(`ratio mapped/proxy: ${(rates['aws (mapping templates)']! / rates.aws_proxy!).toFixed(2)}`)
