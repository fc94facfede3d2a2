/**
 * Message vectors for every configuration error of `x-amazon-apigateway-authorizer`: a
 * security scheme as a user writes it → the exact messages, each with file, line, JSON pointer
 * and what was expected.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { readAuthorizerScheme } from '../../../../src/config/openapi/read-authorizer-scheme.ts'
import { parseSourceText } from '../../../../src/config/source-document.ts'
import { HTTP_API, REST_API } from '../../../../src/dialect/api-dialect.ts'
import { ConfigError, ConfigErrors } from '../../../../src/errors/config-error.ts'

const FILE = 'api.yaml'
const AT = '/components/securitySchemes/bearer'
const EXT = `${AT}/x-amazon-apigateway-authorizer`
const URI =
  'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:token-auth/invocations'

/** The scheme's YAML, indented under `components.securitySchemes.bearer` (line 4 onwards). */
function read(schemeYaml: string, kind: 'rest' | 'http' = 'rest') {
  const text = `components:\n  securitySchemes:\n    bearer:\n${schemeYaml
    .trim()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n')}\n`
  const doc = parseSourceText(FILE, text)
  const raw = (doc.data as { components: { securitySchemes: { bearer: Record<string, unknown> } } })
    .components.securitySchemes.bearer
  return readAuthorizerScheme(
    FILE,
    { name: 'bearer', pointer: AT, raw },
    kind === 'http' ? HTTP_API : REST_API,
    doc.lineOf,
  )
}

function messages(fn: () => unknown): string[] {
  try {
    fn()
  } catch (err) {
    if (err instanceof ConfigErrors) return err.errors.map((e) => e.message)
    if (err instanceof ConfigError) return [err.message]
    throw err
  }
  assert.fail('expected a configuration error')
}

const TOKEN_HEAD = `type: apiKey
name: Authorization
in: header
x-amazon-apigateway-authtype: custom`

const vectors: { name: string; kind?: 'rest' | 'http'; yaml: string; expect: string[] }[] = [
  {
    name: 'a scheme without an authorizer object',
    yaml: 'type: http\nscheme: bearer',
    expect: [
      `${FILE}:4: ${AT}: scheme 'bearer' has no x-amazon-apigateway-authorizer object; only API Gateway authorizers (and x-forcegate extensions) are enforced`,
    ],
  },
  {
    name: 'an authorizer that is not an object',
    yaml: `${TOKEN_HEAD}\nx-amazon-apigateway-authorizer: token`,
    expect: [
      `${FILE}:4: ${AT}: scheme 'bearer' has no x-amazon-apigateway-authorizer object; only API Gateway authorizers (and x-forcegate extensions) are enforced`,
    ],
  },
  {
    name: 'IAM (SigV4) authorization',
    yaml: 'type: apiKey\nname: Authorization\nin: header\nx-amazon-apigateway-authtype: awsSigv4',
    expect: [
      `${FILE}:7: ${AT}/x-amazon-apigateway-authtype: scheme 'bearer' asks for IAM (SigV4) authorization, which is not supported yet: protect the route with a Lambda REQUEST authorizer (x-amazon-apigateway-authorizer with type: request) or with Salesforce identity (x-forcegate-salesforce)`,
    ],
  },
  {
    name: 'a missing type',
    yaml: `${TOKEN_HEAD}\nx-amazon-apigateway-authorizer:\n  authorizerUri: ${URI}`,
    expect: [`${FILE}:9: ${EXT}/type: a required type (token, request or jwt) is missing`],
  },
  {
    name: 'a type that is not a string',
    yaml: `${TOKEN_HEAD}\nx-amazon-apigateway-authorizer:\n  type: 3`,
    expect: [`${FILE}:9: ${EXT}/type: expected a string, found number 3`],
  },
  {
    name: 'an unknown type',
    yaml: `${TOKEN_HEAD}\nx-amazon-apigateway-authorizer:\n  type: oauth`,
    expect: [`${FILE}:9: ${EXT}/type: expected token, request or jwt, found 'oauth'`],
  },
  {
    name: 'Cognito user pools',
    yaml: `${TOKEN_HEAD}\nx-amazon-apigateway-authorizer:\n  type: cognito_user_pools`,
    expect: [
      `${FILE}:9: ${EXT}/type: expected token, request or jwt, found 'cognito_user_pools' (Cognito is not supported yet)`,
    ],
  },
  {
    name: 'a missing Lambda URI',
    yaml: `${TOKEN_HEAD}\nx-amazon-apigateway-authorizer:\n  type: token`,
    expect: [`${FILE}:9: ${EXT}/authorizerUri: a required Lambda invoke URI is missing`],
  },
  {
    name: 'a Lambda URI that is not one',
    yaml: `${TOKEN_HEAD}\nx-amazon-apigateway-authorizer:\n  type: token\n  authorizerUri: https://example.com/auth`,
    expect: [
      `${FILE}:10: ${EXT}/authorizerUri: expected a Lambda invoke URI (…/functions/arn:aws:lambda:REGION:ACCOUNT:function:NAME/invocations)`,
    ],
  },
  {
    name: 'a Lambda URI that is not a string',
    yaml: `${TOKEN_HEAD}\nx-amazon-apigateway-authorizer:\n  type: token\n  authorizerUri: [a]`,
    expect: [`${FILE}:10: ${EXT}/authorizerUri: expected a string, found a list`],
  },
  {
    name: 'a TOKEN scheme that does not name its header',
    yaml: `type: apiKey\nin: query\nname: token\nx-amazon-apigateway-authorizer:\n  type: token\n  authorizerUri: ${URI}`,
    expect: [
      `${FILE}:4: ${AT}: a TOKEN authorizer scheme needs type: apiKey, in: header and the header as name`,
    ],
  },
  {
    name: 'a cache TTL out of range, and one that is not a number',
    yaml: `${TOKEN_HEAD}\nx-amazon-apigateway-authorizer:\n  type: token\n  authorizerUri: ${URI}\n  authorizerResultTtlInSeconds: 3601`,
    expect: [
      `${FILE}:11: ${EXT}/authorizerResultTtlInSeconds: expected an integer from 0 to 3600, found number 3601`,
    ],
  },
  {
    name: 'a cache TTL written as text',
    yaml: `${TOKEN_HEAD}\nx-amazon-apigateway-authorizer:\n  type: token\n  authorizerUri: ${URI}\n  authorizerResultTtlInSeconds: five`,
    expect: [
      `${FILE}:11: ${EXT}/authorizerResultTtlInSeconds: expected an integer from 0 to 3600, found the string "five"`,
    ],
  },
  {
    name: 'an unknown payload format version',
    kind: 'http',
    yaml: `type: apiKey\nname: Authorization\nin: header\nx-amazon-apigateway-authorizer:\n  type: request\n  authorizerUri: ${URI}\n  identitySource: $request.header.Authorization\n  authorizerPayloadFormatVersion: '3.0'`,
    expect: [`${FILE}:11: ${EXT}/authorizerPayloadFormatVersion: expected 1.0 or 2.0`],
  },
  {
    name: 'simple responses that are not a boolean',
    kind: 'http',
    yaml: `type: apiKey\nname: Authorization\nin: header\nx-amazon-apigateway-authorizer:\n  type: request\n  authorizerUri: ${URI}\n  identitySource: $request.header.Authorization\n  enableSimpleResponses: 'yes'`,
    expect: [`${FILE}:11: ${EXT}/enableSimpleResponses: expected true or false`],
  },
  {
    name: 'a timeout out of range',
    yaml: `${TOKEN_HEAD}\nx-forcegate-timeoutInMillis: 40\nx-amazon-apigateway-authorizer:\n  type: token\n  authorizerUri: ${URI}`,
    expect: [`${FILE}:8: ${AT}/x-forcegate-timeoutInMillis: expected an integer from 50 to 30000`],
  },
  {
    name: 'an identity validation expression that is not a string',
    yaml: `${TOKEN_HEAD}\nx-amazon-apigateway-authorizer:\n  type: token\n  authorizerUri: ${URI}\n  identityValidationExpression: 12`,
    expect: [`${FILE}:11: ${EXT}/identityValidationExpression: expected a string, found number 12`],
  },
  {
    name: 'every problem of one scheme in one run',
    yaml: `type: apiKey\nin: cookie\nname: s\nx-forcegate-timeoutInMillis: 60000\nx-amazon-apigateway-authorizer:\n  type: TOKEN\n  authorizerUri: lambda:token-auth\n  authorizerResultTtlInSeconds: -1`,
    expect: [
      `${FILE}:10: ${EXT}/authorizerUri: expected a Lambda invoke URI (…/functions/arn:aws:lambda:REGION:ACCOUNT:function:NAME/invocations)`,
      `${FILE}:4: ${AT}: a TOKEN authorizer scheme needs type: apiKey, in: header and the header as name`,
      `${FILE}:11: ${EXT}/authorizerResultTtlInSeconds: expected an integer from 0 to 3600, found number -1`,
      `${FILE}:7: ${AT}/x-forcegate-timeoutInMillis: expected an integer from 50 to 30000`,
    ],
  },
  {
    name: 'a JWT authorizer on a REST API',
    yaml: `type: oauth2\nx-amazon-apigateway-authorizer:\n  type: jwt\n  jwtConfiguration:\n    issuer: https://login.example.com\n    audience: [orders]`,
    expect: [
      `${FILE}:6: ${EXT}/type: JWT authorizers belong to HTTP APIs (add x-amazon-apigateway-importexport-version)`,
    ],
  },
  {
    name: 'a JWT authorizer without its configuration',
    kind: 'http',
    yaml: 'type: oauth2\nx-amazon-apigateway-authorizer:\n  type: jwt',
    expect: [`${FILE}:6: ${EXT}/jwtConfiguration: expected an object with issuer and audience`],
  },
  {
    name: 'a JWT authorizer without issuer or audience',
    kind: 'http',
    yaml: 'type: oauth2\nx-amazon-apigateway-authorizer:\n  type: jwt\n  jwtConfiguration:\n    audience: []',
    expect: [
      `${FILE}:8: ${EXT}/jwtConfiguration: expected jwtConfiguration.issuer (a URL)`,
      `${FILE}:8: ${EXT}/jwtConfiguration: expected jwtConfiguration.audience: a non-empty list of strings`,
    ],
  },
  {
    name: 'a JWT audience that is not a list of strings',
    kind: 'http',
    yaml: 'type: oauth2\nx-amazon-apigateway-authorizer:\n  type: jwt\n  jwtConfiguration:\n    issuer: https://login.example.com\n    audience: [1]',
    expect: [
      `${FILE}:8: ${EXT}/jwtConfiguration: expected jwtConfiguration.audience: a non-empty list of strings`,
    ],
  },
]

describe('x-amazon-apigateway-authorizer configuration errors', () => {
  for (const v of vectors) {
    test(v.name, () => {
      assert.deepEqual(
        messages(() => read(v.yaml, v.kind)),
        v.expect,
      )
    })
  }
})

describe('x-amazon-apigateway-authorizer defaults', () => {
  test('a TOKEN authorizer reads its header from the scheme, caches 300 s on REST and waits 10 s', () => {
    const spec = read(
      `${TOKEN_HEAD}\nx-amazon-apigateway-authorizer:\n  type: TOKEN\n  authorizerUri: ${URI}`,
    )
    assert.equal(spec.type, 'token')
    assert.equal(spec.identitySources, 'method.request.header.Authorization')
    assert.equal(spec.identitySourcePointer, AT)
    assert.equal(spec.functionName, 'token-auth')
    assert.equal(spec.ttlSeconds, 300)
    assert.equal(spec.payloadFormatVersion, '1.0')
    assert.equal(spec.timeoutMs, 10_000)
  })

  test('an HTTP API REQUEST authorizer speaks payload 2.0, does not cache, and takes a TTL written as text', () => {
    const spec = read(
      `type: apiKey\nname: Authorization\nin: header\nx-amazon-apigateway-authorizer:\n  type: request\n  authorizerUri: ${URI}\n  identitySource: $request.header.Authorization`,
      'http',
    )
    assert.ok(spec.type === 'request')
    assert.equal(spec.payloadFormatVersion, '2.0')
    assert.equal(spec.ttlSeconds, 0)
    const cached = read(
      `type: apiKey\nname: Authorization\nin: header\nx-amazon-apigateway-authorizer:\n  type: request\n  authorizerUri: ${URI}\n  identitySource: $request.header.Authorization\n  authorizerResultTtlInSeconds: '60'\n  enableSimpleResponses: true`,
      'http',
    )
    assert.ok(cached.type === 'request')
    assert.equal(cached.ttlSeconds, 60)
    assert.equal(cached.simpleResponses, true)
  })

  test('a JWT authorizer defaults its identity source to the Authorization header', () => {
    const spec = read(
      'type: oauth2\nx-amazon-apigateway-authorizer:\n  type: jwt\n  jwtConfiguration:\n    issuer: https://login.example.com\n    audience: [orders]',
      'http',
    )
    assert.deepEqual(spec, {
      type: 'jwt',
      schemeName: 'bearer',
      identitySource: '$request.header.Authorization',
      issuer: 'https://login.example.com',
      audience: ['orders'],
      pointer: EXT,
    })
  })
})
