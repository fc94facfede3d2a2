import type { ApiDefinition, RouteSpec } from '../config/openapi/api-definition.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import type { AuthOutcome, AuthorizationCheck, Principal, RouteAuth } from './types.ts'

const ANONYMOUS: Principal = Object.freeze({ principalId: undefined })
const NO_HEADERS: AuthOutcome['identityHeaders'] = Object.freeze([])

/**
 * A REST method with `apiKeyRequired`: the `x-api-key` header must carry one of the API's keys,
 * else API Gateway answers 403 `{"message":"Forbidden"}` (INVALID_API_KEY). The key is checked
 * after the method's authorizer, as API Gateway orders them: a request with neither a token
 * nor a key is the authorizer's 401.
 */
export function withApiKey(
  auth: RouteAuth | undefined,
  spec: RouteSpec,
  api: ApiDefinition,
): RouteAuth | undefined {
  if (spec.apiKeyRequired !== true) return auth
  const keys = new Set(api.apiKeys ?? [])
  const check: AuthorizationCheck = {
    name: 'api key',
    check(_principal, call) {
      const given = call.view.request.headers.get('x-api-key')?.[0]
      const valid = given !== undefined && keys.has(given)
      call.explain?.({
        step: 'api key',
        decision: valid ? 'valid' : given === undefined ? 'missing' : 'invalid',
      })
      if (!valid)
        throw new GatewayError('GW_API_KEY_INVALID', {
          reason: given === undefined ? 'api_key_missing' : 'api_key_invalid',
        })
      return undefined
    },
  }
  if (auth !== undefined)
    return {
      description: `${auth.description} + API key`,
      trustedHeaderNames: auth.trustedHeaderNames,
      ...(auth.salesforceOrg === undefined ? {} : { salesforceOrg: auth.salesforceOrg }),
      authenticate: (call) => auth.authenticate(call),
      checks: [...auth.checks, check],
      enrich: (principal) => auth.enrich(principal),
    }
  return {
    description: 'API key (x-api-key)',
    trustedHeaderNames: new Set(),
    authenticate: () => ANONYMOUS,
    checks: [check],
    enrich: () => ({
      principalId: undefined,
      authorizerContext: undefined,
      identityHeaders: NO_HEADERS,
      usageIdentifierKey: undefined,
    }),
  }
}
