import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  IdentitySourceError,
  parseIdentitySource,
  parseIdentitySources,
  readIdentityValues,
} from '../../../src/auth/identity-source.ts'
import { makeView } from './lambda-authorizer/request-view-fixture.ts'

test('REST expressions parse into kinds, with header names lower-cased', () => {
  assert.deepEqual(
    parseIdentitySources(
      'method.request.header.Authorization, method.request.querystring.Token ,stageVariables.mode,context.identity.sourceIp',
      'rest',
    ),
    [
      { expression: 'method.request.header.Authorization', kind: 'header', name: 'authorization' },
      { expression: 'method.request.querystring.Token', kind: 'querystring', name: 'Token' },
      { expression: 'stageVariables.mode', kind: 'stageVariable', name: 'mode' },
      { expression: 'context.identity.sourceIp', kind: 'context', name: 'identity.sourceIp' },
    ],
  )
})

test('HTTP API expressions parse from an array or a comma-separated string', () => {
  const expected = [
    { expression: '$request.header.X-Tenant', kind: 'header', name: 'x-tenant' },
    { expression: '$request.querystring.q', kind: 'querystring', name: 'q' },
    { expression: '$stageVariables.v', kind: 'stageVariable', name: 'v' },
    { expression: '$context.routeKey', kind: 'context', name: 'routeKey' },
  ]
  assert.deepEqual(
    parseIdentitySources(
      ['$request.header.X-Tenant', '$request.querystring.q', '$stageVariables.v', '$context.routeKey'],
      'http',
    ),
    expected,
  )
  assert.deepEqual(
    parseIdentitySources(
      '$request.header.X-Tenant,$request.querystring.q, $stageVariables.v, $context.routeKey',
      'http',
    ),
    expected,
  )
})

test('an empty list parses to no sources', () => {
  assert.deepEqual(parseIdentitySources('', 'rest'), [])
  assert.deepEqual(parseIdentitySources('  ', 'rest'), [])
  assert.deepEqual(parseIdentitySources([], 'http'), [])
})

test('a bad expression is a config error that names it', () => {
  const bad: [string, 'rest' | 'http'][] = [
    ['method.request.path.id', 'rest'],
    ['$request.header.Authorization', 'rest'],
    ['method.request.header.Authorization', 'http'],
    ['method.request.header.', 'rest'],
    ['context.nope', 'rest'],
    ['header.Authorization', 'http'],
  ]
  for (const [expression, syntax] of bad) {
    assert.throws(
      () => parseIdentitySource(expression, syntax),
      (err: unknown) =>
        err instanceof IdentitySourceError &&
        err.expression === expression &&
        err.message.includes(expression),
      expression,
    )
  }
  assert.throws(
    () => parseIdentitySources('method.request.header.A, bogus', 'rest'),
    (err: unknown) => err instanceof IdentitySourceError && err.expression === 'bogus',
  )
})

test('REST reads header names case-insensitively and takes the last of repeated values', () => {
  const sources = parseIdentitySources(
    'method.request.header.X-Tenant,method.request.querystring.view',
    'rest',
  )
  const view = makeView({
    headers: [
      ['x-tenant', 't-1'],
      ['X-TENANT', 't-2'],
    ],
    rawQuery: 'view=summary&view=full',
  })
  assert.deepEqual(readIdentityValues(sources, view, 'rest'), { ok: true, values: ['t-2', 'full'] })
})

test('HTTP APIs join repeated header and query values with commas', () => {
  const sources = parseIdentitySources(['$request.header.x-tenant', '$request.querystring.view'], 'http')
  const view = makeView({
    headers: [
      ['X-Tenant', 't-1'],
      ['x-tenant', 't-2'],
    ],
    rawQuery: 'view=summary&view=full',
  })
  assert.deepEqual(readIdentityValues(sources, view, 'http'), {
    ok: true,
    values: ['t-1,t-2', 'summary,full'],
  })
})

test('query names are case-sensitive', () => {
  const sources = parseIdentitySources('method.request.querystring.Token', 'rest')
  assert.deepEqual(readIdentityValues(sources, makeView({ rawQuery: 'token=a' }), 'rest'), {
    ok: false,
    missing: 'method.request.querystring.Token',
    values: [],
  })
})

test('stage and context variables are read from the view', () => {
  const sources = parseIdentitySources(
    'stageVariables.mode,context.identity.sourceIp,context.httpMethod,context.resourcePath,context.stage',
    'rest',
  )
  const view = makeView({ stageVariables: { mode: 'strict' }, method: 'PUT' })
  assert.deepEqual(readIdentityValues(sources, view, 'rest'), {
    ok: true,
    values: ['strict', '203.0.113.7', 'PUT', '/orders/{orderId}', 'prod'],
  })
  const http = parseIdentitySources(['$context.routeKey', '$context.http.method'], 'http')
  assert.deepEqual(readIdentityValues(http, view, 'http'), {
    ok: true,
    values: ['GET /orders/{orderId}', 'PUT'],
  })
})

test('the first missing or empty source is reported; all sources are required', () => {
  const sources = parseIdentitySources(
    'method.request.header.Authorization,method.request.header.X-Tenant',
    'rest',
  )
  assert.deepEqual(readIdentityValues(sources, makeView({ headers: [['Authorization', 'a']] }), 'rest'), {
    ok: false,
    missing: 'method.request.header.X-Tenant',
    values: ['a'],
  })
  const empty = makeView({
    headers: [
      ['Authorization', ''],
      ['X-Tenant', 't'],
    ],
  })
  assert.deepEqual(readIdentityValues(sources, empty, 'rest'), {
    ok: false,
    missing: 'method.request.header.Authorization',
    values: [],
  })
  const stage = parseIdentitySources('stageVariables.mode', 'rest')
  assert.deepEqual(readIdentityValues(stage, makeView(), 'rest'), {
    ok: false,
    missing: 'stageVariables.mode',
    values: [],
  })
})
