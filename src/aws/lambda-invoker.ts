import type { FunctionRef } from './function-ref.ts'

/**
 * Runs a Lambda function and resolves with what it returned, or rejects with what it threw.
 * A run that outlives `timeoutMs` rejects with a `LambdaTimeoutError`. Local modules and
 * AWS Lambda both sit behind this, for integrations and authorizers alike.
 */
export interface LambdaInvoker {
  invoke(fn: FunctionRef, event: unknown, timeoutMs: number, options?: InvokeOptions): Promise<unknown>
  describe(fn: FunctionRef): string
}

export interface InvokeOptions {
  /** The gateway request behind the invocation; local handlers' log lines carry it. */
  readonly requestId?: string
}

export class LambdaTimeoutError extends Error {
  constructor(functionName: string, timeoutMs: number) {
    super(`${functionName} did not finish within ${timeoutMs} ms`)
    this.name = 'TimeoutError'
  }
}

/** An error a function threw or reported; keeps the Lambda runtime's errorType/errorMessage. */
export class LambdaFunctionError extends Error {
  readonly errorType: string

  constructor(errorType: string, errorMessage: string) {
    super(errorMessage)
    this.name = 'LambdaFunctionError'
    this.errorType = errorType
  }
}
