import { access } from 'node:fs/promises'
import { basename, dirname, extname, join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ConfigError } from '../errors/config-error.ts'
import { compileFailure, compileHandler } from './compile-handler.ts'
import type { FunctionRef } from './function-ref.ts'
import { reportInvokeError } from './handler-console.ts'
import { InvocationDeadlines } from './invocation-deadlines.ts'
import { runInInvocation } from './invocation-scope.ts'
import { createLambdaContext } from './lambda-context.ts'
import { type InvokeOptions, type LambdaInvoker, LambdaTimeoutError } from './lambda-invoker.ts'
import { asLambdaPayload } from './lambda-payload.ts'

export type LambdaHandler = (
  event: unknown,
  context: unknown,
  callback: (err?: unknown, result?: unknown) => void,
) => unknown

/** TypeScript first (the project's own), then what the Node.js Lambda runtime loads. */
const EXTENSIONS = ['.ts', '.mjs', '.js', '.cjs'] as const

/**
 * Finds `NAME.ts|.mjs|.js|.cjs` exporting `handler` in the functions folders, in that order.
 * Resolution happens once at start-up, so a missing module stops the gateway before it serves.
 */
export async function resolveFunctionModule(
  name: string,
  folders: readonly string[],
  origin: string,
): Promise<string> {
  for (const folder of folders) {
    for (const ext of EXTENSIONS) {
      const candidate = resolve(folder, name + ext)
      try {
        await access(candidate)
        return candidate
      } catch {}
    }
  }
  const searched = folders.map((f) => resolve(f)).join(', ')
  throw new ConfigError(
    origin,
    '',
    `Lambda function '${name}' has no module: looked for ${EXTENSIONS.map((e) => name + e).join(', ')} in ${searched || '(no functions folder)'}`,
  )
}

const COMMONJS_IN_ESM = /^(require|module|exports|__dirname|__filename) is not defined in ES module scope/

/** Why a module failed to import, in one line a user can act on (never Node's raw stack). */
function loadFailure(path: string, err: unknown): string {
  if (!(err instanceof Error)) return `${path} failed to load: ${String(err)}`
  const commonjs = COMMONJS_IN_ESM.exec(err.message)
  if (commonjs !== null) {
    const pkg = /'([^']*package\.json)' contains "type": "module"/.exec(err.message)?.[1]
    const because = pkg === undefined ? 'its package.json' : pkg
    return `${path} is CommonJS (it uses ${commonjs[1]}) but is loaded as an ES module because ${because} has "type": "module": rename it to ${basename(path, '.js')}.cjs, or put a package.json containing {"type": "commonjs"} in its folder`
  }
  // Syntax errors name the line at the top of the stack; an error thrown at load, the frame
  // in the module (its .ts line for compiled handlers).
  const stack = err.stack ?? ''
  const where =
    /^(file:\/\/\S+:\d+)\n/.exec(stack)?.[1] ??
    stack
      .split('\n')
      .map((line) => /\(?((?:file:\/\/)?\/[^\s()]+:\d+:\d+)\)?$/.exec(line.trim())?.[1])
      .find((frame) => frame?.replace(/^file:\/\//, '').startsWith(`${path}:`))
  const at = where === undefined ? '' : ` (at ${where.replace(/^file:\/\//, '')})`
  const code = (err as { code?: unknown }).code
  const kind = typeof code === 'string' ? `${err.name} ${code}` : err.name
  return `${path} failed to load: ${kind}: ${err.message.split('\n')[0]}${at}`
}

/** The gateway request id the proxy and REQUEST events carry, when the caller did not give one. */
function requestIdOf(event: unknown, options: InvokeOptions | undefined): string | undefined {
  if (options?.requestId !== undefined) return options.requestId
  const context = (event as { requestContext?: { requestId?: unknown } } | null)?.requestContext
  return typeof context?.requestId === 'string' ? context.requestId : undefined
}

/** Runs handler modules in this process. Promise, async and callback-style handlers all work. */
export class LocalLambdaInvoker implements LambdaInvoker {
  readonly #handlers = new Map<string, LambdaHandler>()
  readonly #clock: () => number
  /** Modules loaded by file and export: what describe() names. */
  readonly #sources = new Map<string, string>()
  readonly #deadlines = new InvocationDeadlines()

  constructor(clock: () => number = Date.now) {
    this.#clock = clock
  }

  /** Imports the module for `fn` once; later calls for the same name reuse it. */
  async load(fn: FunctionRef, folders: readonly string[], origin: string): Promise<void> {
    if (this.#handlers.has(fn.name)) return
    const path = await resolveFunctionModule(fn.name, folders, origin)
    await this.#importHandler(fn, path, 'handler', origin)
  }

  /**
   * Imports `exportName` of the module at `path` as `fn` (serverless.yml and SAM templates name
   * handlers as file.export); `path` without an extension is looked up like a function name.
   */
  async loadExport(fn: FunctionRef, modulePath: string, exportName: string, origin: string): Promise<void> {
    if (this.#handlers.has(fn.name)) return
    const path =
      extname(modulePath) === ''
        ? await resolveFunctionModule(basename(modulePath), [dirname(modulePath)], origin)
        : modulePath
    await this.#importHandler(fn, path, exportName, origin)
    // The route table names the module and export, not a functions folder.
    this.#sources.set(fn.name, `${relative(process.cwd(), path)} ${exportName}`)
  }

  async #importHandler(fn: FunctionRef, path: string, exportName: string, origin: string): Promise<void> {
    let mod: Record<string, unknown> & { default?: Record<string, unknown> }
    let compiled = path
    if (path.endsWith('.ts')) {
      try {
        compiled = await compileHandler(path)
      } catch (err) {
        // esbuild's own errors name file:line; anything else (the cache folder not writable) is
        // still a start-up error naming the file, never a stack.
        const why = compileFailure(err, path) ?? (err instanceof Error ? err.message : String(err))
        throw new ConfigError(origin, '', `Lambda function '${fn.name}': ${path} failed to compile: ${why}`)
      }
    }
    try {
      mod = (await import(pathToFileURL(compiled).href)) as typeof mod
    } catch (err) {
      throw new ConfigError(origin, '', `Lambda function '${fn.name}': ${loadFailure(path, err)}`)
    }
    // CommonJS modules whose exports Node cannot name statically arrive under `default`.
    const handler = exportAt(mod, exportName) ?? exportAt(mod.default, exportName)
    if (typeof handler !== 'function') {
      throw new ConfigError(
        origin,
        '',
        `Lambda function '${fn.name}': ${path} does not export a function named '${exportName}'`,
      )
    }
    this.#handlers.set(fn.name, handler as LambdaHandler)
  }

  /** Serves `name` with a handler already in memory (embedding, tests) instead of a module. */
  register(name: string, handler: LambdaHandler): void {
    this.#handlers.set(name, handler)
  }

  describe(fn: FunctionRef): string {
    return `local ${this.#sources.get(fn.name) ?? join('functions', fn.name)}`
  }

  invoke(fn: FunctionRef, event: unknown, timeoutMs: number, options?: InvokeOptions): Promise<unknown> {
    const handler = this.#handlers.get(fn.name)
    if (handler === undefined) return Promise.reject(new Error(`Lambda function '${fn.name}' was not loaded`))
    const deadline = this.#clock() + timeoutMs
    const context = createLambdaContext({
      functionName: fn.name,
      functionArn: fn.arn,
      deadline,
      clock: this.#clock,
    })
    const invocation = {
      awsRequestId: context.awsRequestId,
      functionName: fn.name,
      requestId: requestIdOf(event, options),
    }
    return new Promise<unknown>((resolvePromise, reject) => {
      let settled = false
      const settle = (err: unknown, result?: unknown): void => {
        if (settled) return
        settled = true
        cancelDeadline()
        if (err !== undefined && err !== null) {
          reportInvokeError(invocation, err)
          reject(err)
          return
        }
        // Serialised when the handler answers, as the runtime does: later mutations are not seen.
        try {
          resolvePromise(asLambdaPayload(result))
        } catch (failure) {
          reportInvokeError(invocation, failure)
          reject(failure)
        }
      }
      // A handler that never settles must not hold the request: its deadline answers for it.
      const cancelDeadline = this.#deadlines.start(timeoutMs, () =>
        settle(new LambdaTimeoutError(fn.name, timeoutMs)),
      )
      runInInvocation(invocation, () => {
        try {
          const returned = handler(event, context, (err, result) => settle(err ?? null, result))
          if (
            returned !== null &&
            typeof returned === 'object' &&
            typeof (returned as Promise<unknown>).then === 'function'
          ) {
            ;(returned as Promise<unknown>).then(
              (result) => settle(null, result),
              (err: unknown) => settle(err ?? new Error('handler rejected')),
            )
          } else if (handler.length < 3) {
            settle(null, returned)
          }
        } catch (err) {
          settle(err ?? new Error('handler threw'))
        }
      })
    })
  }
}

/** `a.b` of a module's exports: Lambda's runtime reads a handler's dotted name as a property path. */
function exportAt(exports: unknown, name: string): unknown {
  let node = exports
  for (const key of name.split('.')) {
    if (node === null || (typeof node !== 'object' && typeof node !== 'function')) return undefined
    node = (node as Record<string, unknown>)[key]
  }
  return node
}
