import { GatewayError } from '../../errors/gateway-error.ts'
import type { RequestContext } from '../request-context.ts'

/**
 * route: the API's routes and the gateway's own (admin API, portal, health) in one router. An
 * unknown route is one code; the dialect answers it (403 Missing Authentication Token on REST
 * APIs, 404 Not Found on HTTP APIs).
 */
export function routeStage(ctx: RequestContext): undefined {
  const { table } = ctx
  let req = ctx.req!
  // /<stage>/path is the route /path, as on the execute-api domain: the events' path is the
  // resource's, $context.path keeps the prefix.
  const unstaged = table.stagePrefix === undefined ? undefined : withoutStage(table.stagePrefix, req.path)
  let match = unstaged === undefined ? undefined : table.router.find(req.method, unstaged)
  if (match !== undefined) {
    req = { ...req, path: unstaged! }
    ctx.req = req
  } else match = table.router.find(req.method, req.path)
  if (match === undefined) {
    ctx.explain?.({ step: 'route', matched: false })
    throw new GatewayError('GW_ROUTE_NOT_FOUND', { reason: 'route.none' })
  }
  const route = match.value
  ctx.route = route
  ctx.view = {
    request: req,
    stage: table.stage,
    resourcePath: match.resourcePath,
    routeKey: route.routeKey,
    pathParameters: match.pathParameters,
    stageVariables: table.stageVariables,
    deployment: table.deployment,
  }
  ctx.explain?.({
    step: 'route',
    routeKey: route.routeKey,
    resource: match.resourcePath,
    pathParameters: match.pathParameters,
  })
  return undefined
}

function withoutStage(prefix: string, path: string): string | undefined {
  if (!path.startsWith(prefix)) return undefined
  if (path.length === prefix.length) return '/'
  return path[prefix.length] === '/' ? path.slice(prefix.length) : undefined
}
