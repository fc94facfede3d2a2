import { format } from 'node:util'
import { currentInvocation, type Invocation } from './invocation-scope.ts'

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error'

/** Where console output goes; a pino logger is one. */
export type ConsoleSink = Record<Level, (fields: Record<string, unknown>, message: string) => void>

const METHODS = {
  log: 'info',
  info: 'info',
  warn: 'warn',
  error: 'error',
  debug: 'debug',
  trace: 'trace',
} as const satisfies Record<string, Level>

type Method = keyof typeof METHODS

const sinks: ConsoleSink[] = []
let originals: Record<Method, (...args: unknown[]) => void> | undefined

function messageOf(method: Method, args: readonly unknown[]): string {
  const text = format(...args)
  if (method !== 'trace') return text
  // console.trace prints the caller's stack; the first two frames are this file's.
  const stack = (new Error().stack ?? '').split('\n').slice(3).join('\n')
  return `Trace: ${text}\n${stack}`
}

function write(method: Method, args: readonly unknown[]): void {
  const sink = sinks.at(-1)
  if (sink === undefined) {
    originals?.[method](...args)
    return
  }
  const invocation = currentInvocation()
  // Lambda tags each line a function writes with its request id; the gateway's id joins the
  // line to the access log of the request that caused the invocation.
  const fields =
    invocation === undefined
      ? { source: 'console' }
      : {
          source: 'function',
          functionName: invocation.functionName,
          awsRequestId: invocation.awsRequestId,
          requestId: invocation.requestId ?? null,
        }
  sink[METHODS[method]](fields, messageOf(method, args))
}

/**
 * What the Node.js Lambda runtime logs when a handler fails ("Invoke Error" with the error's
 * type, message and stack), as one structured line tagged like the function's own output. The
 * client only sees the gateway's 502: this line is where the cause is.
 */
export function reportInvokeError(invocation: Invocation, error: unknown): void {
  // `Unauthorized` is how a Lambda authorizer answers 401 on purpose: one error line per refused
  // request would bury real failures (and the access log already records each 401).
  if (error instanceof Error && error.message === 'Unauthorized') return
  const failure =
    error instanceof Error
      ? {
          errorType: (error as { errorType?: unknown }).errorType ?? error.name,
          errorMessage: error.message,
          stack: (error.stack ?? '').split('\n'),
        }
      : { errorType: typeof error, errorMessage: String(error), stack: [] }
  const fields = {
    source: 'function',
    functionName: invocation.functionName,
    awsRequestId: invocation.awsRequestId,
    requestId: invocation.requestId ?? null,
    ...failure,
  }
  // Outside a gateway (a handler invoked by an embedding program) the caller gets the error itself.
  sinks.at(-1)?.error(fields, 'Invoke Error')
}

/**
 * Sends `console.log/info/warn/error/debug/trace` through `sink` as structured lines, so local
 * handlers cannot break the machine-readable stdout the access log shares. Returns the restore
 * function. Gateways started in one process stack: the latest one's sink is used, and the
 * console is itself again once every one of them has restored.
 */
export function installHandlerConsole(sink: ConsoleSink): () => void {
  if (originals === undefined) {
    const saved = {} as Record<Method, (...args: unknown[]) => void>
    for (const method of Object.keys(METHODS) as Method[]) {
      saved[method] = console[method]
      console[method] = (...args: unknown[]) => write(method, args)
    }
    originals = saved
  }
  sinks.push(sink)
  let restored = false
  return () => {
    if (restored) return
    restored = true
    sinks.splice(sinks.lastIndexOf(sink), 1)
    if (sinks.length > 0 || originals === undefined) return
    for (const method of Object.keys(METHODS) as Method[]) console[method] = originals[method]
    originals = undefined
  }
}
