import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  AuthorizerConfigError,
  compileAuthorizerConfig,
  type LambdaAuthorizerConfig,
} from '../../../../src/auth/lambda-authorizer/authorizer-config.ts'
import { HTTP_API, REST_API } from '../../../../src/dialect/api-dialect.ts'

const token: LambdaAuthorizerConfig = {
  id: 'bearer',
  dialect: REST_API,
  type: 'token',
  functionName: 'token-auth',
  identitySources: 'method.request.header.Authorization',
  identityValidationExpression: '^Bearer [-0-9A-Za-z._~+/]+=*$',
  ttlSeconds: 300,
  payloadFormatVersion: '1.0',
  simpleResponses: false,
  timeoutMs: 10_000,
}

function rejects(config: LambdaAuthorizerConfig, field: string) {
  assert.throws(
    () => compileAuthorizerConfig(config),
    (err: unknown) => err instanceof AuthorizerConfigError && err.issues.some((i) => i.field === field),
    `${field}: ${JSON.stringify(config)}`,
  )
}

test('a TOKEN authorizer compiles its source, its validation expression and TTL once', () => {
  const compiled = compileAuthorizerConfig(token)
  assert.equal(compiled.sources.length, 1)
  assert.equal(compiled.validation?.test('Bearer abc'), true)
  assert.equal(compiled.ttlMs, 300_000)
})

test('the validation expression is a search, run by RE2 in linear time', () => {
  const search = compileAuthorizerConfig({ ...token, identityValidationExpression: 'abc' }).validation!
  assert.equal(search.test('xxabcxx'), true)
  assert.equal(search.test('ab'), false)
  // Exponential for a backtracking engine: 2^n paths for a token that finally fails to match.
  const nested = compileAuthorizerConfig({
    ...token,
    identityValidationExpression: '^Bearer ([A-Za-z0-9_-]+\\.?)+$',
  }).validation!
  assert.equal(nested.test(`Bearer ${'a'.repeat(5000)}!`), false)
  assert.equal(nested.test(`Bearer ${'a'.repeat(5000)}`), true)
})

test('an expression RE2 cannot run (backreferences, lookaround) is refused and says why', () => {
  for (const expression of ['^(a)\\1$', '^Bearer (?=x)', '(?<!a)b', '[']) {
    assert.throws(
      () => compileAuthorizerConfig({ ...token, identityValidationExpression: expression }),
      (err: unknown) =>
        err instanceof AuthorizerConfigError &&
        err.field === 'identityValidationExpression' &&
        /RE2 accepts .*no backreferences, lookahead or lookbehind.*error parsing regexp/.test(err.expected),
      expression,
    )
  }
})

test('every problem of one authorizer is reported together', () => {
  assert.throws(
    () =>
      compileAuthorizerConfig({
        ...token,
        ttlSeconds: 9000,
        identitySources: '$request.header.Authorization',
        identityValidationExpression: '(?=x)',
      }),
    (err: unknown) => {
      assert.ok(err instanceof AuthorizerConfigError)
      assert.deepEqual(
        err.issues.map((i) => i.field),
        ['ttlSeconds', 'identitySources', 'identityValidationExpression'],
      )
      return true
    },
  )
})

test('TTL must be an integer from 0 to 3600', () => {
  assert.equal(compileAuthorizerConfig({ ...token, ttlSeconds: 0 }).ttlMs, 0)
  assert.equal(compileAuthorizerConfig({ ...token, ttlSeconds: 3600 }).ttlMs, 3_600_000)
  rejects({ ...token, ttlSeconds: 3601 }, 'ttlSeconds')
  rejects({ ...token, ttlSeconds: -1 }, 'ttlSeconds')
  rejects({ ...token, ttlSeconds: 1.5 }, 'ttlSeconds')
})

test('TOKEN takes exactly one header', () => {
  rejects({ ...token, identitySources: '' }, 'identitySources')
  rejects({ ...token, identitySources: 'method.request.querystring.token' }, 'identitySources')
  rejects({ ...token, identitySources: 'method.request.header.A,method.request.header.B' }, 'identitySources')
})

test('a bad expression or regex is named in the error', () => {
  assert.throws(
    () => compileAuthorizerConfig({ ...token, identitySources: 'method.request.path.id' }),
    (err: unknown) => err instanceof AuthorizerConfigError && err.message.includes('method.request.path.id'),
  )
  rejects({ ...token, identityValidationExpression: '(' }, 'identityValidationExpression')
})

const request: LambdaAuthorizerConfig = {
  ...token,
  id: 'tenant',
  type: 'request',
  identitySources: 'method.request.header.Authorization, method.request.header.X-Tenant',
}

test('REQUEST: sources are required only when caching is on; the validation expression is ignored', () => {
  const compiled = compileAuthorizerConfig(request)
  assert.equal(compiled.sources.length, 2)
  assert.equal(compiled.validation, undefined)
  rejects({ ...request, identitySources: '' }, 'identitySources')
  assert.equal(compileAuthorizerConfig({ ...request, identitySources: '', ttlSeconds: 0 }).sources.length, 0)
})

const http: LambdaAuthorizerConfig = {
  id: 'v2',
  dialect: HTTP_API,
  type: 'request',
  functionName: 'v2-auth',
  identitySources: ['$request.header.Authorization'],
  ttlSeconds: 0,
  payloadFormatVersion: '2.0',
  simpleResponses: true,
  timeoutMs: 10_000,
}

test('HTTP APIs: REQUEST only; simple responses only with payload 2.0', () => {
  assert.equal(compileAuthorizerConfig(http).sources[0]!.name, 'authorization')
  rejects({ ...http, type: 'token' }, 'type')
  rejects({ ...http, payloadFormatVersion: '1.0' }, 'simpleResponses')
  rejects({ ...request, simpleResponses: true }, 'simpleResponses')
  rejects({ ...request, payloadFormatVersion: '2.0' }, 'payloadFormatVersion')
  rejects({ ...http, identitySources: ['method.request.header.Authorization'] }, 'identitySources')
})

test('ids, function names and timeouts are checked', () => {
  rejects({ ...token, id: '' }, 'id')
  rejects({ ...token, functionName: '' }, 'functionName')
  rejects({ ...token, timeoutMs: 0 }, 'timeoutMs')
})
