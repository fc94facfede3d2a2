interface ProxyEvent {
  path: string
  requestContext: { authorizer?: Record<string, string> }
}

export async function handler(event: ProxyEvent) {
  const authorizer = event.requestContext.authorizer ?? {}
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      path: event.path,
      principalId: authorizer.principalId,
      user: authorizer.user,
      tier: authorizer.tier,
    }),
  }
}
