import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the fake saw of one Invoke call. */
export interface RecordedInvoke {
  readonly functionName: string
  readonly rawPath: string
  readonly headers: IncomingMessage['headers']
  readonly event: unknown
}

/** How the fake answers one function: a result, a function error, or never. */
export type FakeBehaviour =
  | { readonly kind: 'result'; readonly payload: unknown }
  | { readonly kind: 'error'; readonly errorType: string; readonly errorMessage: string }
  | { readonly kind: 'hang' }

export interface FakeLambdaServer {
  readonly endpoint: string
  readonly invokes: RecordedInvoke[]
  close(): Promise<void>
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/

/**
 * Speaks the Lambda Invoke API (`POST /2015-03-31/functions/{FunctionName}/invocations`) on
 * 127.0.0.1, answering each function by name or ARN from `behaviours`. Requests that are not a
 * signed JSON Invoke are answered 400, so a client that goes wrong fails the test.
 */
export async function startFakeLambda(
  behaviours: Readonly<Record<string, FakeBehaviour>>,
): Promise<FakeLambdaServer> {
  const invokes: RecordedInvoke[] = []
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const rawPath = (req.url ?? '').split('?')[0] ?? ''
    const match = INVOKE_PATH.exec(rawPath)
    const authorization = req.headers.authorization ?? ''
    const refuse = (why: string): void => {
      res.writeHead(400, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'InvalidRequestContentException',
      })
      res.end(JSON.stringify({ message: why }))
    }
    if (req.method !== 'POST' || match === null) return refuse(`unexpected ${req.method} ${rawPath}`)
    if (!authorization.startsWith('AWS4-HMAC-SHA256 Credential='))
      return refuse('request is not SigV4-signed')
    if (req.headers['x-amz-invocation-type'] !== 'RequestResponse')
      return refuse('not a RequestResponse invoke')
    let event: unknown
    try {
      event = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    } catch {
      return refuse('body is not JSON')
    }
    const functionName = decodeURIComponent(match[1]!)
    invokes.push({ functionName, rawPath, headers: req.headers, event })
    const behaviour = behaviours[functionName]
    if (behaviour === undefined) {
      res.writeHead(404, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'ResourceNotFoundException',
      })
      res.end(JSON.stringify({ Type: 'User', Message: `Function not found: ${functionName}` }))
      return
    }
    if (behaviour.kind === 'hang') return
    const headers = { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' }
    if (behaviour.kind === 'error') {
      res.writeHead(200, { ...headers, 'x-amz-function-error': 'Unhandled' })
      res.end(
        JSON.stringify({
          errorType: behaviour.errorType,
          errorMessage: behaviour.errorMessage,
          trace: [`${behaviour.errorType}: ${behaviour.errorMessage}`, '    at handler (index.mjs:1:1)'],
        }),
      )
      return
    }
    res.writeHead(200, headers)
    res.end(JSON.stringify(behaviour.payload))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    invokes,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** Static credentials for the fake: they sign requests and must never show up in an error. */
export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIAFORCEGATETEST000',
  secretAccessKey: 'forcegate/test/secret/key/0000000000000000',
} as const
