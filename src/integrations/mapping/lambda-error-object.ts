/**
 * What a failed Lambda invocation looks like to an integration response: the runtime's error
 * object `{"errorMessage", "errorType", "stackTrace"}`. Its `errorMessage` is what selection
 * patterns match, and the whole object is the body `$input` reads (and the body the client
 * gets, with status 200, when no pattern matches and the default response has no template).
 */
import { LambdaFunctionError } from '../../aws/lambda-invoker.ts'

export interface LambdaErrorObject {
  readonly errorMessage: string
  readonly errorType: string
  readonly stackTrace: readonly string[]
}

/** Node's `Error.stack` as the Node runtime reports it: one entry per `at …` line. */
function stackLines(stack: string | undefined): string[] {
  if (stack === undefined) return []
  return stack
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('at '))
}

export function lambdaErrorObject(error: unknown): LambdaErrorObject {
  if (error instanceof LambdaFunctionError)
    return { errorMessage: error.message, errorType: error.errorType, stackTrace: stackLines(error.stack) }
  if (error instanceof Error)
    return { errorMessage: error.message, errorType: error.name, stackTrace: stackLines(error.stack) }
  // callback('message') / Promise.reject('message'): the runtime reports errorType "string".
  return { errorMessage: String(error), errorType: typeof error, stackTrace: [] }
}
