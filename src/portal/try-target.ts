import { resolveSameOrigin } from './same-origin-url.ts'

/**
 * The only URLs "try it" calls, with the user's bearer token: the path entered (or brought by a
 * link) resolved against the configured gateway origin, and kept only when it is still that
 * origin. Undefined means the call must not be made.
 */
export function tryTarget(path: string | undefined, gatewayOrigin: string): URL | undefined {
  return resolveSameOrigin(path, gatewayOrigin)
}
