import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * Handlers the gateway itself serves beside the API (the partners admin API, the portal),
 * claimed by path prefix before the pipeline runs, so API routes never see those paths.
 */
export interface FrontRoute {
  readonly prefix: string
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>
}

export function frontRouteFor(
  routes: readonly FrontRoute[],
  url: string | undefined,
): FrontRoute | undefined {
  if (routes.length === 0 || url === undefined) return undefined
  for (const route of routes) {
    if (url === route.prefix || url.startsWith(`${route.prefix}/`) || url.startsWith(`${route.prefix}?`))
      return route
  }
  return undefined
}
