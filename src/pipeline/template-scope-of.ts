import type { TemplateScope } from '../errors/template-scope.ts'
import type { RequestView } from '../events/request-view.ts'
import { parseQuery } from '../http/gateway-request.ts'

/** The values gateway response and mock templates may reference for one request. */
export function templateScopeOf(view: RequestView): TemplateScope {
  const req = view.request
  return {
    context: {
      requestId: req.requestId,
      stage: view.stage,
      resourcePath: view.resourcePath,
      httpMethod: req.method,
      path: req.path,
      'identity.sourceIp': req.sourceIp,
      apiId: view.deployment.apiId,
      accountId: view.deployment.accountId,
    },
    stageVariables: view.stageVariables ?? {},
    headers: req.headers,
    query: parseQuery(req.rawQuery),
    pathParameters: view.pathParameters ?? {},
  }
}
