import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { type Gateway, prepareGateway, startGateway } from '../../src/gateway.ts'
import { createLogger } from '../../src/observability/logger.ts'
import { type Explanation, explainRequest } from '../../src/pipeline/explain.ts'
import type { RouteTable } from '../../src/pipeline/types.ts'
import { lambdaOp, lambdaUri, tempApi } from '../helpers/temp-api.ts'
import { testClock } from '../helpers/test-clock.ts'
import { openapi } from '../helpers/test-gateway.ts'

/**
 * `forcegate explain` runs the server's own stages; this proves it for every request of the
 * conformance vectors: the same configuration served over HTTP and explained answers with the
 * same status and the same headers (the request id, date and keep-alive aside), for REST and
 * HTTP APIs. REST routes end in a mock, which explain runs as it stands (it calls nothing);
 * HTTP API routes end in a local function, called by explain in `call` mode.
 */

const SHAPES = new URL('../conformance/apigw-lambda-authorizer/result-shapes.ts', import.meta.url).href

/** What the functions answer next: set by the test before each request. */
interface Answers {
  authorizer?: unknown
  backend?: { readonly result: unknown } | { readonly shape: string } | undefined
}
const answers: Answers = {}
;(globalThis as { forcegateVectorAnswers?: Answers }).forcegateVectorAnswers = answers

const FUNCTIONS = {
  'vector-authorizer.mjs': `import { resultOfShape } from ${JSON.stringify(SHAPES)}
export const handler = async () => {
  const a = globalThis.forcegateVectorAnswers.authorizer
  if (a === undefined) throw new Error('this vector gives the authorizer no answer')
  if ('throws' in a) throw Object.assign(new Error(a.throws.message), { name: a.throws.name ?? 'Error' })
  if ('throwsValue' in a) throw a.throwsValue
  if ('timesOut' in a) return new Promise(() => {})
  if ('returnsShape' in a) return resultOfShape(a.returnsShape)
  return structuredClone(a.returns)
}
`,
  'backend.mjs': `import { resultOfShape } from ${JSON.stringify(SHAPES)}
export const handler = async () => {
  const b = globalThis.forcegateVectorAnswers.backend
  if (b === undefined) return { statusCode: 200, headers: { 'x-answered-by': 'backend' }, body: 'ok' }
  return 'shape' in b ? resultOfShape(b.shape) : structuredClone(b.result)
}
`,
}

const CONFIG = 'api:\n  apiId: a1b2c3d4e5\n  accountId: "111122223333"\n  region: eu-west-1\n  stage: prod\n'
const HTTP_API = { 'x-amazon-apigateway-importexport-version': '1.0' }

const MOCK = {
  'x-amazon-apigateway-integration': {
    type: 'mock',
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    responses: {
      default: { statusCode: '200', responseTemplates: { 'application/json': '{"answered":"mock"}' } },
    },
  },
}

type Kind = 'rest' | 'http'

function routes(kind: Kind, security: unknown[] | undefined): Record<string, unknown> {
  const operation = {
    ...(kind === 'rest' ? MOCK : lambdaOp('backend')),
    ...(security === undefined ? {} : { security }),
  }
  return {
    '/': { 'x-amazon-apigateway-any-method': operation },
    '/{proxy+}': { 'x-amazon-apigateway-any-method': operation },
  }
}

interface Request {
  readonly method: string
  readonly target: string
  readonly headers: readonly (readonly [string, string])[]
}

/** One configuration, served and prepared for explain, with one clock moved for both. */
class Pair {
  server!: Gateway
  explained!: RouteTable
  readonly clock = testClock()
  #remove: (() => Promise<void>) | undefined

  async open(document: unknown): Promise<void> {
    const api = await tempApi(document, FUNCTIONS)
    this.#remove = api.remove
    const configFile = await api.file('forcegate.yaml', CONFIG)
    const options = {
      apiFile: api.apiFile,
      configFile,
      logger: createLogger('silent'),
      clock: this.clock.now,
    }
    this.server = await startGateway({ ...options, port: 0, host: '127.0.0.1' })
    this.explained = (await prepareGateway(options)).table
  }

  async close(): Promise<void> {
    await this.server?.close()
    await this.explained?.close()
    await this.#remove?.()
  }

  /** Sends `req` to the server and explains it; both answers must be the same. */
  async agree(req: Request, label: string): Promise<Explanation> {
    const lines = [`${req.method} ${req.target} HTTP/1.1`, 'Host: api.test']
    for (const [name, value] of req.headers) lines.push(`${name}: ${value}`)
    const served = await send(this.server.url, `${lines.join('\r\n')}\r\n\r\n`)
    const explained = await explainRequest(
      this.explained,
      { method: req.method, target: req.target, headers: [['Host', 'api.test'], ...req.headers] },
      this.clock.now,
      { integrate: 'call' },
    )
    assert.equal(explained.status, served.status, `${label}: status (${explained.outcome})`)
    assert.deepEqual(explainedHeaders(explained), servedHeaders(served.head), `${label}: headers`)
    return explained
  }
}

/** Sends the bytes as given and reads one response: its head, then as many bytes as it announces. */
function send(url: string, request: string): Promise<{ status: number; head: string }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    let data = ''
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => {
      data += chunk
      const end = data.indexOf('\r\n\r\n')
      if (end === -1) return
      const head = data.slice(0, end)
      const status = Number(head.split(' ')[1])
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0)
      if (data.length - end - 4 < length && status !== 204 && status !== 304) return
      socket.destroy()
      resolve({ status, head })
    })
    socket.on('error', reject)
    socket.on('close', () =>
      reject(new Error(`the connection closed before a response: ${JSON.stringify(data)}`)),
    )
    socket.write(request)
  })
}

/** Headers Node adds to every response, and the per-request id. */
const PER_RESPONSE = new Set(['date', 'keep-alive', 'x-amzn-requestid'])

function servedHeaders(head: string): string[] {
  const out: string[] = []
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':')
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    if (PER_RESPONSE.has(name) || (name === 'connection' && value === 'keep-alive')) continue
    out.push(`${name}: ${value}`)
  }
  return out.sort()
}

function explainedHeaders(e: Explanation): string[] {
  const out: string[] = []
  for (const [name, value] of Object.entries(e.headers))
    for (const v of Array.isArray(value) ? value : [value]) out.push(`${name.toLowerCase()}: ${v}`)
  return out.sort()
}

// --- Lambda authorizer vectors -----------------------------------------------------------

interface AuthorizerVector {
  readonly authorizer: {
    readonly kind: Kind
    readonly type: 'token' | 'request'
    readonly identitySources?: string | readonly string[]
    readonly identityValidationExpression?: string
    readonly ttlSeconds?: number
    readonly payloadFormatVersion?: '1.0' | '2.0'
    readonly simpleResponses?: boolean
  }
  readonly answer?: unknown
  readonly steps: readonly {
    readonly request: {
      readonly method?: string
      readonly path?: string
      readonly query?: string
      readonly headers?: readonly (readonly [string, string])[]
    }
    readonly answer?: unknown
    readonly advanceMs?: number
    readonly concurrent?: number
  }[]
}

function authorizerDocument(vector: AuthorizerVector): unknown {
  const a = vector.authorizer
  const ext: Record<string, unknown> = {
    type: a.type,
    authorizerUri: lambdaUri('vector-authorizer'),
    authorizerResultTtlInSeconds: a.ttlSeconds ?? 300,
  }
  const sources = Array.isArray(a.identitySources) ? a.identitySources.join(', ') : a.identitySources
  if (sources !== undefined && (a.type === 'request' || sources !== '')) ext.identitySource = sources
  if (a.identityValidationExpression !== undefined)
    ext.identityValidationExpression = a.identityValidationExpression
  if (a.payloadFormatVersion !== undefined) ext.authorizerPayloadFormatVersion = a.payloadFormatVersion
  if (a.simpleResponses !== undefined) ext.enableSimpleResponses = a.simpleResponses
  const scheme = {
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    ...(a.kind === 'rest' ? { 'x-amazon-apigateway-authtype': 'custom' } : {}),
    'x-amazon-apigateway-authorizer': ext,
    // The timeout vectors' function never answers: end them quickly.
    'x-forcegate-timeoutInMillis': 200,
  }
  return openapi(routes(a.kind, [{ vector: [] }]), {
    ...(a.kind === 'http' ? HTTP_API : {}),
    components: { securitySchemes: { vector: scheme } },
  })
}

const authorizerDir = new URL('../conformance/apigw-lambda-authorizer/vectors/', import.meta.url)
const authorizerFiles = readdirSync(authorizerDir)
  .filter((f) => f.endsWith('.json'))
  .sort()

describe('explain agrees with the server: Lambda authorizer vectors', () => {
  test('every vector is used, of both kinds of API', () => {
    const kinds = new Set(
      authorizerFiles.map(
        (f) =>
          (JSON.parse(readFileSync(new URL(f, authorizerDir), 'utf8')) as AuthorizerVector).authorizer.kind,
      ),
    )
    assert.deepEqual([...kinds].sort(), ['http', 'rest'])
  })
  for (const file of authorizerFiles) {
    const vector = JSON.parse(readFileSync(new URL(file, authorizerDir), 'utf8')) as AuthorizerVector
    test(file.replace(/\.json$/, ''), async () => {
      const pair = new Pair()
      try {
        await pair.open(authorizerDocument(vector))
        for (const [i, step] of vector.steps.entries()) {
          if (step.advanceMs !== undefined) pair.clock.advance(step.advanceMs)
          answers.authorizer = step.answer ?? vector.answer
          const r = step.request
          const path = r.path ?? '/orders/42'
          const request = {
            method: r.method ?? 'GET',
            target: r.query === undefined || r.query === '' ? path : `${path}?${r.query}`,
            headers: r.headers ?? [],
          }
          for (let n = 0; n < (step.concurrent ?? 1); n++) await pair.agree(request, `step ${i}`)
        }
      } finally {
        answers.authorizer = undefined
        await pair.close()
      }
    })
  }
})

// --- Lambda proxy vectors -----------------------------------------------------------------

interface ProxyVector {
  readonly kind: 'event' | 'response'
  readonly payloadFormatVersion: '1.0' | '2.0'
  readonly input: {
    readonly api: Kind
    readonly result?: unknown
    readonly resultShape?: string
    readonly method?: string
    readonly target?: string
    readonly headers?: readonly (readonly [string, string])[]
  }
}

const proxyDir = new URL('../conformance/apigw-lambda-proxy/vectors/', import.meta.url)
const proxyFiles = readdirSync(proxyDir)
  .filter((f) => f.endsWith('.json'))
  .sort()

describe('explain agrees with the server: Lambda proxy vectors', () => {
  const pairs = new Map<string, Pair>()
  before(async () => {
    for (const kind of ['rest', 'http'] as const)
      for (const version of ['1.0', '2.0'] as const) {
        if (kind === 'rest' && version === '2.0') continue
        const pair = new Pair()
        const op = lambdaOp('backend', { payloadFormatVersion: version })
        await pair.open(
          openapi(
            {
              '/': { 'x-amazon-apigateway-any-method': op },
              '/{proxy+}': { 'x-amazon-apigateway-any-method': op },
            },
            kind === 'http' ? HTTP_API : {},
          ),
        )
        pairs.set(`${kind} ${version}`, pair)
      }
  })
  after(async () => {
    answers.backend = undefined
    for (const pair of pairs.values()) await pair.close()
  })
  for (const file of proxyFiles) {
    const vector = JSON.parse(readFileSync(new URL(file, proxyDir), 'utf8')) as ProxyVector
    test(file.replace(/\.json$/, ''), async () => {
      const { input } = vector
      const pair = pairs.get(`${input.api} ${input.api === 'rest' ? '1.0' : vector.payloadFormatVersion}`)!
      answers.backend =
        vector.kind === 'event'
          ? undefined
          : input.resultShape === undefined
            ? { result: input.result }
            : { shape: input.resultShape }
      const headers = (input.headers ?? []).filter(([name]) => name.toLowerCase() !== 'host')
      await pair.agree(
        { method: input.method ?? 'GET', target: input.target ?? '/orders/42', headers },
        vector.kind,
      )
    })
  }
})

// --- Path normalisation vectors -----------------------------------------------------------

/**
 * Targets Node's HTTP parser refuses before any stage runs (its 400 is the server's, not the
 * gateway's): no origin-form, absolute-form or `*`, or whitespace and raw non-ASCII bytes.
 */
const unsendable = (target: string): boolean =>
  !(target.startsWith('/') || target === '*' || /^https?:\/\//.test(target)) ||
  /[\s\u0080-\uffff]/.test(target)

describe('explain agrees with the server: path normalisation vectors', () => {
  const vectors = (
    JSON.parse(
      readFileSync(new URL('../conformance/path-normalization/vectors.json', import.meta.url), 'utf8'),
    ) as { target: string }[]
  ).filter((v) => !unsendable(v.target))
  for (const kind of ['rest', 'http'] as const) {
    test(`every target, ${kind === 'rest' ? 'REST API' : 'HTTP API'}`, async () => {
      const pair = new Pair()
      try {
        // Only /admin routes: whether a spelling reaches them or answers not-found is the point.
        const op = kind === 'rest' ? MOCK : lambdaOp('backend')
        await pair.open(
          openapi(
            { '/admin/{proxy+}': { 'x-amazon-apigateway-any-method': op } },
            kind === 'http' ? HTTP_API : {},
          ),
        )
        for (const { target } of vectors) await pair.agree({ method: 'GET', target, headers: [] }, target)
      } finally {
        await pair.close()
      }
    })
  }
})
