import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { evaluateJsonPath, parseJsonPath } from '../../../../src/integrations/mapping/json-path.ts'
import { escapeJavaScript, urlDecode, urlEncode } from '../../../../src/integrations/mapping/util-variable.ts'
import { context, render } from './helpers.ts'

const PARAMS = {
  path: { petId: '7', id: 'from-path' },
  querystring: { id: 'from-query', type: 'dog' },
  header: { 'X-Id': 'h', id: 'from-header', Accept: 'application/json' },
}

describe('$input', () => {
  test('$input.json and $input.path read the body with JSONPath', () => {
    const body = '{"pets":[{"id":1,"type":"dog"},{"id":2,"type":"cat"}],"name":"shop"}'
    assert.equal(render("$input.json('$.pets[0]')", body), '{"id":1,"type":"dog"}')
    assert.equal(
      render("$input.path('$.pets').size() $input.path('$.pets[1].type') $input.path('$.name')", body),
      '2 cat shop',
    )
    assert.equal(render("$input.json('$.pets[*].id')", body), '[1,2]')
    assert.equal(render('$input.json(\'$.pets[?(@.type == "cat")].id\')', body), '[2]')
  })

  test('an empty body reads as {}', () => {
    assert.equal(render("$input.json('$')|$input.body"), '{}|{}')
  })

  test('$input.params(x) looks in path, then query string, then header', () => {
    assert.equal(
      render(
        "$input.params('id') $input.params('type') $input.params('x-id') [$input.params('none')]",
        '',
        PARAMS,
      ),
      'from-path dog h []',
    )
    assert.equal(
      render('$input.params().path.petId $input.params().querystring.keySet()', '', PARAMS),
      '7 [id, type]',
    )
  })
})

describe('$util', () => {
  test('escapeJavaScript escapes as Commons Lang does, single quotes included', () => {
    assert.equal(escapeJavaScript(`it's "x"\n/é\\`), `it\\'s \\"x\\"\\n\\/\\u00E9\\\\`)
    assert.equal(
      render('$util.escapeJavaScript($input.path(\'$.s\')).replaceAll("\\\\\'", "\'")', '{"s":"it\'s"}'),
      "it's",
    )
  })

  test('urlEncode/urlDecode follow java.net.URLEncoder/URLDecoder', () => {
    assert.equal(urlEncode("a b&c=d/é!'()~*"), 'a+b%26c%3Dd%2F%C3%A9%21%27%28%29%7E*')
    assert.equal(urlDecode('a+b%26c'), 'a b&c')
  })

  test('base64 and parseJson', () => {
    assert.equal(render('$util.base64Encode("hello")|$util.base64Decode("aGVsbG8=")'), 'aGVsbG8=|hello')
    assert.equal(
      render("#set($o = $util.parseJson($input.path('$.inner')))$o.a.b", '{"inner":"{\\"a\\":{\\"b\\":5}}"}'),
      '5',
    )
  })
})

describe('$context and $stageVariables', () => {
  test('request facts, identity, and stringified authorizer values', () => {
    const ctx = context({
      principalId: 'user-1',
      tenant: 't-9',
      admin: false,
      quota: 42,
      claims: { email: 'a@b.c' },
    })
    assert.equal(
      render(
        '$context.requestId $context.httpMethod $context.resourcePath $context.stage $context.identity.sourceIp $context.authorizer.principalId $context.authorizer.admin $context.authorizer.quota $context.authorizer.claims.email',
        '',
        undefined,
        {},
        ctx,
      ),
      'req-1 POST /pets/{petId} test 192.0.2.1 user-1 false 42 a@b.c',
    )
    assert.equal(render('$stageVariables.table', '', undefined, { table: 'pets' }), 'pets')
  })
})

describe('JSONPath', () => {
  const doc = { a: { b: [{ c: 1 }, { c: 2 }, { d: 3 }] }, 'x y': 4 }
  test('definite paths give a value, indefinite ones a list', () => {
    assert.equal(evaluateJsonPath(parseJsonPath('$.a.b[1].c'), doc), 2)
    assert.equal(evaluateJsonPath(parseJsonPath("$['x y']"), doc), 4)
    assert.equal(evaluateJsonPath(parseJsonPath('$.a.b[-1].d'), doc), 3)
    assert.deepEqual(evaluateJsonPath(parseJsonPath('$..c'), doc), [1, 2])
    assert.deepEqual(evaluateJsonPath(parseJsonPath('$.a.b[0:2].c'), doc), [1, 2])
    assert.deepEqual(evaluateJsonPath(parseJsonPath('$.a.b[?(@.c > 1)]'), doc), [{ c: 2 }])
    assert.equal(evaluateJsonPath(parseJsonPath('$.nope.x'), doc), undefined)
  })
  test('a path is parsed, never run as code', () => {
    assert.throws(() => parseJsonPath('$.a[?(@.constructor("return process")())]'))
    assert.throws(() => parseJsonPath('process.exit()'))
  })
})
