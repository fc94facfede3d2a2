import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type BodyEncoding, encodeEventBody, matchesMediaType } from '../../../src/events/event-body.ts'

const BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff])
const rest = (...binaryMediaTypes: string[]): BodyEncoding => ({ kind: 'rest', binaryMediaTypes })
const http: BodyEncoding = { kind: 'http' }

describe('matchesMediaType', () => {
  test('an exact type matches, compared case-insensitively on the pattern side', () => {
    assert.equal(matchesMediaType('image/png', ['image/png']), true)
    assert.equal(matchesMediaType('image/png', ['Image/PNG']), true)
    assert.equal(matchesMediaType('image/png', ['image/jpeg']), false)
  })

  test('type/* matches every subtype of that type and nothing else', () => {
    assert.equal(matchesMediaType('image/png', ['image/*']), true)
    assert.equal(matchesMediaType('image/svg+xml', ['image/*']), true)
    assert.equal(matchesMediaType('application/png', ['image/*']), false)
    assert.equal(matchesMediaType('imagex/png', ['image/*']), false)
  })

  test('*/* matches any type, including a request without a content type', () => {
    assert.equal(matchesMediaType('application/json', ['*/*']), true)
    assert.equal(matchesMediaType('', ['*/*']), true)
  })

  test('a request without a content type matches nothing narrower than */*', () => {
    assert.equal(matchesMediaType('', ['image/*', 'application/octet-stream']), false)
  })

  test('any pattern of the list may match; an empty list matches nothing', () => {
    assert.equal(matchesMediaType('application/pdf', ['image/*', 'application/pdf']), true)
    assert.equal(matchesMediaType('application/pdf', []), false)
  })
})

describe('encodeEventBody (REST: binaryMediaTypes decide)', () => {
  test('a body whose content type is a binary media type is base64-encoded', () => {
    assert.deepEqual(encodeEventBody(BYTES, 'image/png', rest('image/png')), {
      body: BYTES.toString('base64'),
      isBase64Encoded: true,
    })
  })

  test('content-type parameters, spacing and case do not affect the match', () => {
    for (const contentType of [
      'image/png; charset=binary',
      'IMAGE/PNG',
      ' image/png ;q=1',
      'Image/Png;a="b;c"',
    ]) {
      assert.equal(encodeEventBody(BYTES, contentType, rest('image/png')).isBase64Encoded, true, contentType)
    }
  })

  test('wildcards: image/* and */*', () => {
    assert.equal(encodeEventBody(BYTES, 'image/webp', rest('image/*')).isBase64Encoded, true)
    assert.equal(encodeEventBody(BYTES, 'application/json', rest('image/*')).isBase64Encoded, false)
    assert.equal(encodeEventBody(BYTES, 'application/json', rest('*/*')).isBase64Encoded, true)
    assert.equal(encodeEventBody(BYTES, undefined, rest('*/*')).isBase64Encoded, true)
    assert.equal(encodeEventBody(BYTES, undefined, rest('image/*')).isBase64Encoded, false)
  })

  test('any other body is passed as UTF-8 text', () => {
    const text = Buffer.from('héllo ✓', 'utf8')
    assert.deepEqual(encodeEventBody(text, 'text/plain; charset=utf-8', rest('image/png')), {
      body: 'héllo ✓',
      isBase64Encoded: false,
    })
  })

  test('an empty or absent body is no body, even for a binary type', () => {
    const none = { body: null, isBase64Encoded: false }
    assert.deepEqual(encodeEventBody(Buffer.alloc(0), 'image/png', rest('image/png')), none)
    assert.deepEqual(encodeEventBody(undefined, 'image/png', rest('*/*')), none)
  })
})

describe('encodeEventBody (HTTP API: text types travel as text)', () => {
  test('text, JSON, XML and form bodies are text, with or without parameters', () => {
    for (const contentType of [
      'text/plain',
      'text/csv; charset=utf-8',
      'application/json',
      'Application/JSON; charset=UTF-8',
      'application/problem+json',
      'application/xml',
      'application/atom+xml',
      'application/x-www-form-urlencoded',
      'application/javascript',
      'application/graphql',
    ]) {
      assert.equal(encodeEventBody(BYTES, contentType, http).isBase64Encoded, false, contentType)
    }
  })

  test('other content types are base64-encoded', () => {
    for (const contentType of [
      'image/png',
      'application/octet-stream',
      'application/pdf',
      'multipart/form-data; boundary=x',
    ]) {
      assert.deepEqual(encodeEventBody(BYTES, contentType, http), {
        body: BYTES.toString('base64'),
        isBase64Encoded: true,
      })
    }
  })

  test('a body without a content type is passed as text (current choice; AWS behaviour unverified)', () => {
    assert.deepEqual(encodeEventBody(Buffer.from('a=1'), undefined, http), {
      body: 'a=1',
      isBase64Encoded: false,
    })
  })
})
