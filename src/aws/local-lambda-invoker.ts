import { access } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ConfigError } from '../errors/config-error.ts'
import type { FunctionRef } from './function-ref.ts'
import { createLambdaContext } from './lambda-context.ts'
import { type LambdaInvoker, LambdaTimeoutError } from './lambda-invoker.ts'

export type LambdaHandler = (
  event: unknown,
  context: unknown,
  callback: (err?: unknown, result?: unknown) => void,
) => unknown

const EXTENSIONS = ['.ts', '.mjs', '.js'] as const

/**
 * Finds `NAME.ts|.mjs|.js` exporting `handler` in the functions folders, in that order.
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

/** Runs handler modules in this process. Promise, async and callback-style handlers all work. */
export class LocalLambdaInvoker implements LambdaInvoker {
  readonly #handlers = new Map<string, LambdaHandler>()
  readonly #clock: () => number

  constructor(clock: () => number = Date.now) {
    this.#clock = clock
  }

  /** Imports the module for `fn` once; later calls for the same name reuse it. */
  async load(fn: FunctionRef, folders: readonly string[], origin: string): Promise<void> {
    if (this.#handlers.has(fn.name)) return
    const path = await resolveFunctionModule(fn.name, folders, origin)
    const mod = (await import(pathToFileURL(path).href)) as { handler?: unknown }
    if (typeof mod.handler !== 'function') {
      throw new ConfigError(
        origin,
        '',
        `Lambda function '${fn.name}': ${path} does not export a function named 'handler'`,
      )
    }
    this.#handlers.set(fn.name, mod.handler as LambdaHandler)
  }

  describe(fn: FunctionRef): string {
    return `local ${join('functions', fn.name)}`
  }

  invoke(fn: FunctionRef, event: unknown, timeoutMs: number): Promise<unknown> {
    const handler = this.#handlers.get(fn.name)
    if (handler === undefined) return Promise.reject(new Error(`Lambda function '${fn.name}' was not loaded`))
    const deadline = this.#clock() + timeoutMs
    const context = createLambdaContext({
      functionName: fn.name,
      functionArn: fn.arn,
      deadline,
      clock: this.#clock,
    })
    return new Promise<unknown>((resolvePromise, reject) => {
      let settled = false
      const settle = (err: unknown, result?: unknown): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        if (err === undefined || err === null) resolvePromise(result)
        else reject(err)
      }
      // A handler that never settles must not hold the request: the timer answers for it.
      const timer = setTimeout(() => settle(new LambdaTimeoutError(fn.name, timeoutMs)), timeoutMs)
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
  }
}
