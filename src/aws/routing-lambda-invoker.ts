import type { FunctionRef } from './function-ref.ts'
import type { InvokeOptions, LambdaInvoker } from './lambda-invoker.ts'
import type { LocalLambdaInvoker } from './local-lambda-invoker.ts'
import { RemoteLambdaInvoker, type RemoteLambdaOptions } from './remote-lambda-invoker.ts'

/** One `lambda.remote` rule of forcegate.yaml: functions it matches run on AWS Lambda. */
export interface RemoteLambdaRule {
  /** A function name or ARN; `*` stands for any run of characters. */
  readonly match: string
  readonly region?: string
  readonly endpoint?: string
}

export interface RemoteLambdaConfig {
  readonly remote: readonly RemoteLambdaRule[]
}

/** No rules: every function runs as a local module. */
export const DEFAULT_REMOTE_LAMBDA_CONFIG: RemoteLambdaConfig = { remote: [] }

export interface RoutingLambdaOptions {
  /** Overrides the standard AWS credential chain for every remote rule. */
  readonly credentials?: RemoteLambdaOptions['credentials']
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${body}$`)
}

interface CompiledRule {
  readonly pattern: RegExp
  readonly invoker: RemoteLambdaInvoker
}

/**
 * Sends each function to AWS Lambda or to its local module by the first rule whose glob matches
 * its name or ARN; a function no rule matches runs locally. Rules are compiled once, so the SDK
 * clients and their connections are shared by every call.
 */
export class RoutingLambdaInvoker implements LambdaInvoker {
  readonly #local: LocalLambdaInvoker
  readonly #rules: readonly CompiledRule[]
  readonly #remotes: readonly RemoteLambdaInvoker[]

  constructor(
    local: LocalLambdaInvoker,
    config: RemoteLambdaConfig = DEFAULT_REMOTE_LAMBDA_CONFIG,
    options: RoutingLambdaOptions = {},
  ) {
    this.#local = local
    // Rules that name the same region and endpoint share one invoker, hence one SDK client.
    const invokers = new Map<string, RemoteLambdaInvoker>()
    this.#rules = config.remote.map((rule) => {
      const key = `${rule.region ?? ''}|${rule.endpoint ?? ''}`
      let invoker = invokers.get(key)
      if (invoker === undefined) {
        const remote: { -readonly [K in keyof RemoteLambdaOptions]: RemoteLambdaOptions[K] } = {}
        if (rule.region !== undefined) remote.region = rule.region
        if (rule.endpoint !== undefined) remote.endpoint = rule.endpoint
        if (options.credentials !== undefined) remote.credentials = options.credentials
        invoker = new RemoteLambdaInvoker(remote)
        invokers.set(key, invoker)
      }
      return { pattern: globToRegExp(rule.match), invoker }
    })
    this.#remotes = [...invokers.values()]
  }

  #remoteFor(fn: FunctionRef): RemoteLambdaInvoker | undefined {
    return this.#rules.find((rule) => rule.pattern.test(fn.name) || rule.pattern.test(fn.arn))?.invoker
  }

  isRemote(fn: FunctionRef): boolean {
    return this.#remoteFor(fn) !== undefined
  }

  /** Loads the local module for `fn`; a function that runs on AWS Lambda needs none. */
  async load(fn: FunctionRef, folders: readonly string[], origin: string): Promise<void> {
    if (this.isRemote(fn)) return
    await this.#local.load(fn, folders, origin)
  }

  describe(fn: FunctionRef): string {
    return (this.#remoteFor(fn) ?? this.#local).describe(fn)
  }

  invoke(fn: FunctionRef, event: unknown, timeoutMs: number, options?: InvokeOptions): Promise<unknown> {
    return (this.#remoteFor(fn) ?? this.#local).invoke(fn, event, timeoutMs, options)
  }

  close(): void {
    for (const remote of this.#remotes) remote.close()
  }
}
