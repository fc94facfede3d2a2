import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ERRORS } from '../../../src/errors/codes.ts'
import { rateLimitHeaders, usageLimitError } from '../../../src/partners/rate-limit-headers.ts'

const state = { limit: 100, remaining: 0, resetSeconds: 3600 }

describe('rateLimitHeaders', () => {
  it('reports the limit on allowed responses, without Retry-After', () => {
    assert.deepEqual(
      rateLimitHeaders({ allowed: true, state: { limit: 100, remaining: 42, resetSeconds: 60 } }),
      {
        'RateLimit-Limit': '100',
        'RateLimit-Remaining': '42',
        'RateLimit-Reset': '60',
      },
    )
    assert.deepEqual(rateLimitHeaders({ allowed: true, state: undefined }), {})
  })

  it('adds Retry-After on a refusal', () => {
    assert.deepEqual(rateLimitHeaders({ allowed: false, kind: 'quota', retryAfterSeconds: 3600, state }), {
      'RateLimit-Limit': '100',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': '3600',
      'Retry-After': '3600',
    })
  })
})

describe('usageLimitError', () => {
  it('maps a throttle to GW_THROTTLED (429 THROTTLED) with the headers', () => {
    const error = usageLimitError({ allowed: false, kind: 'throttle', retryAfterSeconds: 2, state })
    assert.equal(error.code, 'GW_THROTTLED')
    assert.equal(error.status, 429)
    assert.equal(ERRORS[error.code].responseType, 'THROTTLED')
    assert.equal(error.headers?.['Retry-After'], '2')
    assert.equal(error.reason, 'usage.throttle')
  })

  it('maps an exhausted quota to GW_QUOTA_EXCEEDED (429 QUOTA_EXCEEDED)', () => {
    const error = usageLimitError({ allowed: false, kind: 'quota', retryAfterSeconds: 3600, state })
    assert.equal(error.code, 'GW_QUOTA_EXCEEDED')
    assert.equal(error.status, 429)
    assert.equal(ERRORS[error.code].responseType, 'QUOTA_EXCEEDED')
    assert.equal(error.headers?.['RateLimit-Reset'], '3600')
  })
})
