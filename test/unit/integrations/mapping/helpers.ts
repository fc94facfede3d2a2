import { buildContextVariable } from '../../../../src/integrations/mapping/context-variable.ts'
import type { MethodRequestParams } from '../../../../src/integrations/mapping/input-variable.ts'
import { compileMappingTemplate } from '../../../../src/integrations/mapping/mapping-template.ts'

export const NO_PARAMS: MethodRequestParams = { path: {}, querystring: {}, header: {} }

export function context(authorizer?: Record<string, unknown>): Record<string, unknown> {
  return buildContextVariable({
    requestId: 'req-1',
    httpMethod: 'POST',
    resourcePath: '/pets/{petId}',
    path: '/test/pets/1',
    stage: 'test',
    apiId: 'a1b2c3',
    accountId: '111122223333',
    domainName: 'a1b2c3.execute-api.eu-west-1.amazonaws.com',
    protocol: 'HTTP/1.1',
    requestTime: '04/Dec/2026:13:00:00 +0000',
    requestTimeEpoch: 1796389200000,
    identity: { sourceIp: '192.0.2.1', userAgent: 'curl/8', apiKey: null },
    ...(authorizer === undefined ? {} : { authorizer }),
  })
}

export function render(
  template: string,
  body = '',
  params: MethodRequestParams = NO_PARAMS,
  stageVariables: Record<string, string> = {},
  ctx: Record<string, unknown> = context(),
): string {
  return compileMappingTemplate(template, { file: 'api.yaml', pointer: '/t' }).render({
    body,
    params,
    context: ctx,
    stageVariables,
  })
}
