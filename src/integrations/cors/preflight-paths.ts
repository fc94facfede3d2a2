const ROOT_GREEDY = /^\/\{([^{}/]+)\+\}$/

/**
 * Where the gateway answers CORS preflights of an HTTP API: every resource of the API that has
 * no `OPTIONS` operation of its own, and a root `/{proxy+}` for every other path (named as the
 * document's own root greedy resource, when it has one), so that a preflight never reaches an
 * `ANY` route's authorizer.
 */
export function preflightPaths(routes: readonly { method: string; resourcePath: string }[]): string[] {
  const paths = routes.filter((r) => r.method !== '$default').map((r) => r.resourcePath)
  const withOptions = new Set(routes.filter((r) => r.method === 'OPTIONS').map((r) => r.resourcePath))
  const greedy = paths.find((p) => ROOT_GREEDY.test(p)) ?? '/{proxy+}'
  return [...new Set([...paths, greedy])].filter((p) => !withOptions.has(p))
}
