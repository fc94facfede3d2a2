import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { LambdaFunctionError } from '../../../../src/aws/lambda-invoker.ts'
import { compileResponseSelector } from '../../../../src/integrations/mapping/integration-response-selection.ts'
import { lambdaErrorObject } from '../../../../src/integrations/mapping/lambda-error-object.ts'
import {
  selectRequestTemplate,
  templatesByMediaType,
} from '../../../../src/integrations/mapping/request-template-selection.ts'
import { selectResponseTemplate } from '../../../../src/integrations/mapping/response-template-selection.ts'

describe('request template selection', () => {
  const json = templatesByMediaType([['application/json', 'J']])
  const none = templatesByMediaType<string>([])
  test('no Content-Type counts as application/json; parameters and case are ignored', () => {
    assert.deepEqual(selectRequestTemplate(json, undefined, 'NEVER'), {
      kind: 'template',
      contentType: 'application/json',
      template: 'J',
    })
    assert.equal(selectRequestTemplate(json, 'Application/JSON; charset=utf-8', 'NEVER').kind, 'template')
  })
  test('an unmatched type: passthrough for WHEN_NO_MATCH, 415 for WHEN_NO_TEMPLATES with templates and for NEVER', () => {
    assert.equal(selectRequestTemplate(json, 'application/xml', 'WHEN_NO_MATCH').kind, 'passthrough')
    assert.equal(
      selectRequestTemplate(json, 'application/xml', 'WHEN_NO_TEMPLATES').kind,
      'unsupported-media-type',
    )
    assert.equal(selectRequestTemplate(json, 'application/xml', 'NEVER').kind, 'unsupported-media-type')
    assert.equal(selectRequestTemplate(none, 'application/xml', 'WHEN_NO_TEMPLATES').kind, 'passthrough')
    assert.equal(selectRequestTemplate(none, undefined, 'NEVER').kind, 'unsupported-media-type')
  })
  test('response templates follow Accept, then application/json, then the first', () => {
    const t = templatesByMediaType([
      ['application/xml', 'X'],
      ['application/json', 'J'],
    ])
    assert.deepEqual(selectResponseTemplate(t, 'application/xml'), {
      contentType: 'application/xml',
      template: 'X',
    })
    assert.deepEqual(selectResponseTemplate(t, 'text/html'), {
      contentType: 'application/json',
      template: 'J',
    })
  })
})

describe('integration response selection', () => {
  const responses = [
    { pattern: 'default', statusCode: 200 },
    { pattern: '.*Not Found.*', statusCode: 404 },
    { pattern: '4\\d{2}', statusCode: 400 },
  ]
  const selector = compileResponseSelector(responses)
  test('a pattern must match the whole subject, as Java matches()', () => {
    assert.equal(selector.select('[Not Found] no pet 7').response?.statusCode, 404)
    assert.equal(selector.select('404').response?.statusCode, 400)
    assert.equal(selector.select('4040').response?.statusCode, 200)
  })
  test('. does not match a newline, so a multi-line message falls to default', () => {
    assert.equal(selector.select('line\nNot Found').response?.statusCode, 200)
  })
  test('a successful Lambda invocation takes default', () => {
    assert.equal(selector.select(undefined).response?.statusCode, 200)
  })
  test('a pattern RE2 cannot run is refused at compile time', () => {
    assert.throws(() => compileResponseSelector([{ pattern: '(a)\\1' }]), /SelectionPattern|\(a\)/)
  })
  test('Lambda error objects', () => {
    assert.deepEqual(lambdaErrorObject('plain'), {
      errorMessage: 'plain',
      errorType: 'string',
      stackTrace: [],
    })
    const e = lambdaErrorObject(new LambdaFunctionError('NotFound', 'no pet'))
    assert.equal(e.errorMessage, 'no pet')
    assert.equal(e.errorType, 'NotFound')
  })
})
