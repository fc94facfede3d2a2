/** A stand-in for the Lambda invoker: records every call and answers from a script. */
export interface FakeInvoker {
  readonly calls: { functionName: string; event: Record<string, unknown>; timeoutMs: number }[]
  invoke(functionName: string, event: unknown, timeoutMs: number): Promise<unknown>
}

export type Answer = { readonly returns: unknown } | { readonly throws: unknown } | { readonly hangs: true }

export function fakeInvoker(answer: Answer | ((event: Record<string, unknown>) => Answer)): FakeInvoker {
  const calls: FakeInvoker['calls'] = []
  return {
    calls,
    async invoke(functionName, event, timeoutMs) {
      const e = event as Record<string, unknown>
      calls.push({ functionName, event: e, timeoutMs })
      const a = typeof answer === 'function' ? answer(e) : answer
      if ('throws' in a) throw a.throws
      if ('hangs' in a)
        throw Object.assign(new Error(`${functionName} did not finish within ${timeoutMs} ms`), {
          name: 'TimeoutError',
        })
      return structuredClone(a.returns)
    },
  }
}

export function fakeClock(start = Date.UTC(2024, 2, 12, 19, 3, 58)) {
  let now = start
  return { clock: () => now, advance: (ms: number) => (now += ms) }
}
