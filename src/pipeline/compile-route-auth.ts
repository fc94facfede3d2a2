import type { LambdaInvoker } from '../aws/lambda-invoker.ts'
import type { ApiDefinition, RouteSpec } from '../config/openapi/api-definition.ts'
import { ConfigError } from '../errors/config-error.ts'
import type { RouteAuth } from './types.ts'

export interface AuthDeps {
  readonly invoker: LambdaInvoker
  readonly clock: () => number
  readonly loadFunction: (name: string, arn: string, origin: string) => Promise<void>
}

/** Builds the identify/authenticate/authorize stages of a route from its security requirements. */
export async function compileRouteAuth(
  route: RouteSpec,
  api: ApiDefinition,
  _deps: AuthDeps,
): Promise<RouteAuth | undefined> {
  const requirement = route.security.find((r) => r.length > 0)
  if (requirement === undefined) return undefined
  throw new ConfigError(
    api.file,
    route.securityPointer,
    `security scheme '${requirement[0]!.scheme}': authorizers are not supported yet`,
  )
}
