import type { LambdaClient, LambdaClientConfig } from '@aws-sdk/client-lambda'
import type { FunctionRef } from './function-ref.ts'
import { tracedClientContext } from './lambda-context.ts'
import { LambdaFunctionError, type LambdaInvoker, LambdaTimeoutError } from './lambda-invoker.ts'

export interface RemoteLambdaOptions {
  /** Overrides the region; otherwise the function ARN's region, then the standard AWS chain. */
  readonly region?: string
  /** Overrides the Lambda endpoint (a VPC endpoint, or a local stand-in). */
  readonly endpoint?: string
  /** Overrides the standard AWS credential chain. */
  readonly credentials?: LambdaClientConfig['credentials']
}

/** `arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]` → REGION, when there is one. */
function regionOfArn(arn: string): string | undefined {
  const region = arn.startsWith('arn:') ? arn.split(':')[3] : undefined
  return region === undefined || region === '' ? undefined : region
}

type LambdaSdk = typeof import('@aws-sdk/client-lambda')

let sdk: Promise<LambdaSdk> | undefined

/** The SDK is loaded by the first remote invoker, so a gateway that runs every function locally never holds it. */
function loadSdk(): Promise<LambdaSdk> {
  sdk ??= import('@aws-sdk/client-lambda')
  return sdk
}

const MAX_DETAIL = 300

/**
 * SDK and transport messages end up in logs. Service messages do not carry secrets today, but a
 * signing failure may quote the request, so anything shaped like a key, a credential scope or a
 * signature is cut out before the message leaves this file.
 */
function redact(message: string): string {
  const cleaned = message
    .replace(/\b(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b/g, '[redacted]')
    .replace(/(Credential|Signature|SignedHeaders|X-Amz-Security-Token)=[^\s,&]+/gi, '$1=[redacted]')
    .replace(/[A-Za-z0-9+/=]{40,}/g, '[redacted]')
  return cleaned.length > MAX_DETAIL ? `${cleaned.slice(0, MAX_DETAIL)}…` : cleaned
}

function transportError(fn: FunctionRef, err: unknown): Error {
  if (!(err instanceof Error)) return new Error(`Lambda invoke of ${fn.name} failed`)
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
  const where = status === undefined ? '' : ` (HTTP ${status})`
  const wrapped = new Error(`Lambda invoke of ${fn.name} failed${where}: ${err.name}: ${redact(err.message)}`)
  // The SDK's name (ResourceNotFoundException, TooManyRequestsException…) says what went wrong.
  wrapped.name = err.name === 'Error' ? 'LambdaInvokeError' : err.name
  return wrapped
}

/** The Lambda runtime reports a failed run as `{errorMessage, errorType, trace}` with a 200. */
function functionError(kind: string, text: string): LambdaFunctionError {
  try {
    const body = JSON.parse(text) as unknown
    if (typeof body === 'object' && body !== null) {
      const { errorMessage, errorType } = body as { errorMessage?: unknown; errorType?: unknown }
      return new LambdaFunctionError(
        typeof errorType === 'string' ? errorType : kind,
        typeof errorMessage === 'string' ? errorMessage : '',
      )
    }
    if (typeof body === 'string') return new LambdaFunctionError(kind, body)
  } catch {}
  return new LambdaFunctionError(kind, text)
}

function parsePayload(fn: FunctionRef, text: string): unknown {
  // A handler that returns nothing comes back as `null`, or as no bytes at all.
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new Error(`Lambda invoke of ${fn.name} returned a payload that is not JSON`)
  }
}

/**
 * Runs functions on AWS Lambda with a synchronous `Invoke`. One client per region and endpoint
 * is kept for the life of the invoker, so connections and resolved credentials are reused.
 */
export class RemoteLambdaInvoker implements LambdaInvoker {
  readonly #options: RemoteLambdaOptions
  readonly #clients = new Map<string, LambdaClient>()
  readonly #sdk: Promise<LambdaSdk>
  #loaded: LambdaSdk | undefined

  constructor(options: RemoteLambdaOptions = {}) {
    this.#options = options
    // Started at construction (start-up), awaited by the first invoke; a failed load surfaces there.
    this.#sdk = loadSdk()
    this.#sdk.then(
      (loaded) => {
        this.#loaded = loaded
      },
      () => {},
    )
  }

  #regionFor(fn: FunctionRef): string | undefined {
    return this.#options.region ?? regionOfArn(fn.arn)
  }

  #client(sdk: LambdaSdk, region: string | undefined): LambdaClient {
    const key = `${region ?? ''}|${this.#options.endpoint ?? ''}`
    let client = this.#clients.get(key)
    if (client === undefined) {
      const config: LambdaClientConfig = {}
      if (region !== undefined) config.region = region
      if (this.#options.endpoint !== undefined) config.endpoint = this.#options.endpoint
      if (this.#options.credentials !== undefined) config.credentials = this.#options.credentials
      client = new sdk.LambdaClient(config)
      this.#clients.set(key, client)
    }
    return client
  }

  describe(fn: FunctionRef): string {
    const region = this.#regionFor(fn) ?? 'default region'
    const endpoint = this.#options.endpoint === undefined ? '' : ` via ${this.#options.endpoint}`
    return `aws lambda ${fn.arn} (${region}${endpoint})`
  }

  async invoke(fn: FunctionRef, event: unknown, timeoutMs: number): Promise<unknown> {
    const sdk = this.#loaded ?? (await this.#sdk)
    const client = this.#client(sdk, this.#regionFor(fn))
    const traced = tracedClientContext()
    const command = new sdk.InvokeCommand({
      FunctionName: fn.arn,
      InvocationType: 'RequestResponse',
      Payload: JSON.stringify(event ?? null),
      // The function's context.clientContext.custom.traceparent, as a local handler's.
      ...(traced === undefined
        ? {}
        : { ClientContext: Buffer.from(JSON.stringify(traced)).toString('base64') }),
    })
    const abort = new AbortController()
    let timer: NodeJS.Timeout | undefined
    // The timer rejects by itself: an SDK retry or a slow abort must not stretch the deadline.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort()
        reject(new LambdaTimeoutError(fn.name, timeoutMs))
      }, timeoutMs)
    })
    const sent = client.send(command, { abortSignal: abort.signal }).catch((err: unknown) => {
      if (abort.signal.aborted) return new Promise<never>(() => {})
      throw transportError(fn, err)
    })
    try {
      const output = await Promise.race([sent, timeout])
      const text = output.Payload === undefined ? '' : new TextDecoder().decode(output.Payload)
      if (output.FunctionError !== undefined) throw functionError(output.FunctionError, text)
      return parsePayload(fn, text)
    } finally {
      clearTimeout(timer)
    }
  }

  /** Drops pooled connections so a stopping gateway does not wait on idle sockets. */
  close(): void {
    for (const client of this.#clients.values()) client.destroy()
    this.#clients.clear()
  }
}
