const ROOT_GREEDY = /^\/\{([^{}/]+)\+\}$/

/**
 * Where the gateway answers CORS preflights of an HTTP API itself: where no route of the API
 * would take an `OPTIONS` request, as API Gateway answers them only then. A resource with an
 * `OPTIONS` or `ANY` route keeps its route (and its authorizer: on AWS a preflight to an `ANY`
 * route with an authorizer is refused, and an `OPTIONS` route without one is the fix), and a
 * `$default` route takes every `OPTIONS` request nothing else matches. Otherwise: every other
 * resource of the API, and a root `/{proxy+}` for the paths no resource matches (named as the
 * document's own root greedy resource, when it has one).
 */
export function preflightPaths(routes: readonly { method: string; resourcePath: string }[]): string[] {
  if (routes.some((r) => r.method === '$default')) return []
  const paths = routes.map((r) => r.resourcePath)
  const taken = new Set(
    routes.filter((r) => r.method === 'OPTIONS' || r.method === 'ANY').map((r) => r.resourcePath),
  )
  const greedy = paths.find((p) => ROOT_GREEDY.test(p)) ?? '/{proxy+}'
  return [...new Set([...paths, greedy])].filter((p) => !taken.has(p))
}
