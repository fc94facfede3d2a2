import { pointerSegments } from '../source-document.ts'

const PROVIDER = new Set([
  'name',
  'runtime',
  'stage',
  'region',
  'environment',
  'timeout',
  'httpApi',
  'apiGateway',
  'apiKeys',
])
const FUNCTION = new Set(['handler', 'name', 'environment', 'timeout', 'runtime', 'image', 'url', 'events'])
const HTTP_EVENTS = new Set(['http', 'httpApi'])

/**
 * Whether serving reads the key at `pointer` of a serverless.yml: the service, the provider's
 * runtime, stage, region, environment, timeout and API settings, the functions' handlers,
 * environment and HTTP events. A variable elsewhere (an IAM statement's `${aws:…}`, a
 * resource's `${cf:…}`, an S3 event's bucket) cannot change what the API answers, so it
 * never stops the gateway.
 */
export function isServedKey(pointer: string): boolean {
  const [top, second, key, index, event] = pointerSegments(pointer)
  if (top === 'service' || top === 'plugins') return true
  if (top === 'provider') return second === undefined || PROVIDER.has(second)
  if (top !== 'functions') return false
  if (key === undefined) return true
  if (!FUNCTION.has(key)) return false
  return key !== 'events' || index === undefined || event === undefined || HTTP_EVENTS.has(event)
}
