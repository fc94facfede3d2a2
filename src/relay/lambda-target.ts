// A Lambda function as a target, through the gateway's invoker (local module or AWS Lambda),
// with the event in Event Relay's EventBridge envelope. A function that returns succeeded; one
// that throws or times out is retried.

import type { FunctionRef } from '../aws/function-ref.ts'
import type { LambdaInvoker } from '../aws/lambda-invoker.ts'
import { eventBridgeEventOf } from './event-bridge-event.ts'
import { type RelayTarget, TargetFailure } from './relay-target.ts'

export interface LambdaTargetOptions {
  readonly invoker: LambdaInvoker
  readonly fn: FunctionRef
  readonly timeoutMs: number
  readonly aws: { readonly accountId: string; readonly region: string }
  readonly clock: () => number
}

export function lambdaTarget(options: LambdaTargetOptions): RelayTarget {
  return {
    description: `lambda ${options.fn.name}`,
    async deliver(event) {
      const envelope = eventBridgeEventOf(event, options.aws, options.clock())
      try {
        await options.invoker.invoke(options.fn, envelope, options.timeoutMs, {
          requestId: event.eventUuid,
        })
      } catch (err) {
        throw new TargetFailure(`lambda ${options.fn.name} failed: ${(err as Error).message}`)
      }
    },
  }
}
