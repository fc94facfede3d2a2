import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { callOrg, jsonObject, OrgCallError } from '../../../../src/auth/salesforce/org-call.ts'

const URL_ = new URL('http://127.0.0.1:9/services/oauth2/introspect')
const LIMITS = { timeoutMs: 100, maxBytes: 64 }
const POST = {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: 'a=b',
} as const

function stubFetch(answer: (init: RequestInit) => Promise<Response>) {
  const seen: RequestInit[] = []
  const fn = ((_url: URL, init: RequestInit) => {
    seen.push(init)
    return answer(init)
  }) as typeof fetch
  return { fn, seen }
}

describe('callOrg', () => {
  test('returns status, content type and text; never follows redirects', async () => {
    const { fn, seen } = stubFetch(
      async () => new Response('Bad_OAuth_Token', { status: 403, headers: { 'content-type': 'text/plain' } }),
    )
    assert.deepEqual(await callOrg(fn, URL_, POST, LIMITS), {
      status: 403,
      contentType: 'text/plain',
      text: 'Bad_OAuth_Token',
    })
    assert.equal(seen[0]?.redirect, 'error')
    assert.equal(seen[0]?.body, 'a=b')
  })

  test('a transport failure is an OrgCallError', async () => {
    const { fn } = stubFetch(async () => {
      throw new TypeError('fetch failed')
    })
    await assert.rejects(callOrg(fn, URL_, POST, LIMITS), OrgCallError)
  })

  test('the deadline aborts a call that does not answer', async () => {
    const { fn } = stubFetch(
      (init) =>
        new Promise((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason))
        }),
    )
    const started = performance.now()
    await assert.rejects(callOrg(fn, URL_, POST, LIMITS), OrgCallError)
    assert.ok(performance.now() - started < 1_000)
  })

  test('an answer above the size cap is refused, declared or streamed', async () => {
    const big = 'x'.repeat(65)
    const declared = stubFetch(async () => new Response(big, { headers: { 'content-length': '65' } }))
    await assert.rejects(callOrg(declared.fn, URL_, POST, LIMITS), /exceeds 64 bytes/)
    const streamed = stubFetch(
      async () =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode(big.slice(0, 40)))
              controller.enqueue(new TextEncoder().encode(big.slice(40)))
              controller.close()
            },
          }),
        ),
    )
    await assert.rejects(callOrg(streamed.fn, URL_, POST, LIMITS), /exceeds 64 bytes/)
  })
})

describe('jsonObject', () => {
  test('objects only', () => {
    assert.deepEqual(jsonObject('{"active":false}'), { active: false })
    for (const text of ['', 'null', '[]', '"x"', '{"a":', 'true']) assert.equal(jsonObject(text), undefined)
  })
})
