import { AsyncLocalStorage } from 'node:async_hooks'

/** The local invocation a piece of handler code runs for, followed across its awaits and timers. */
export interface Invocation {
  /** The Lambda context's request id (a new one per invocation, as on AWS). */
  readonly awsRequestId: string
  readonly functionName: string
  /** The gateway request that caused the invocation, when the caller or the event names it. */
  readonly requestId: string | undefined
}

const scope = new AsyncLocalStorage<Invocation>()

export function runInInvocation<T>(invocation: Invocation, run: () => T): T {
  return scope.run(invocation, run)
}

/** The invocation the calling code belongs to, or undefined outside any handler. */
export function currentInvocation(): Invocation | undefined {
  return scope.getStore()
}
