/**
 * The soak's Lambda handler: the last path segment says what it does. `ok` answers 200, `error`
 * throws (the gateway answers 502), `slow` outlives the route's integration timeout (504).
 */
interface ProxyEvent {
  readonly path?: string
  readonly rawPath?: string
}

export async function handler(event: ProxyEvent) {
  const path = event.rawPath ?? event.path ?? ''
  if (path.endsWith('/error')) throw new Error('soak: the function failed')
  if (path.endsWith('/slow')) await new Promise((resolve) => setTimeout(resolve, 1500))
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' }
}
