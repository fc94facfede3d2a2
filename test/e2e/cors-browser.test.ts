/**
 * CORS in a real browser: a page served from one origin fetches an API on another (the
 * gateway, on another port), with a request that needs a preflight (PUT, a JSON body, an
 * Authorization header). Chromium sends the preflight and the actual request and enforces the
 * answers: once for an HTTP API (x-amazon-apigateway-cors) and once for a REST API (an OPTIONS
 * mock integration with Access-Control-Allow-* response parameters).
 */
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { after, before, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { type Gateway, startGateway } from '../../src/gateway.ts'
import { createLogger } from '../../src/observability/logger.ts'
import { browserSuite } from '../helpers/chromium.ts'
import { lambdaOp, type TempApi, tempApi } from '../helpers/temp-api.ts'
import { openapi } from '../helpers/test-gateway.ts'
import { launchChromium } from './portal/browser.ts'

const HANDLER =
  "export const handler = async (e) => ({ statusCode: 200, headers: { 'content-type': 'application/json', 'x-total': '1' }, body: JSON.stringify({ method: e.requestContext?.http?.method ?? e.httpMethod, body: e.body }) })\n"

/** A page on its own origin, and the origin it is served from. */
async function startPage(): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8')
    res.end('<!doctype html><html lang="en"><title>cross-origin page</title><p>page</p></html>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

interface LoggedGateway {
  readonly gateway: Gateway
  readonly api: TempApi
  /** Access-log lines: method and status of every request the gateway answered. */
  readonly lines: { method: string; status: number; path: string }[]
}

async function startLoggedGateway(document: unknown): Promise<LoggedGateway> {
  const api = await tempApi(document, { 'items.mjs': HANDLER })
  const lines: LoggedGateway['lines'] = []
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const text of String(chunk)
        .split('\n')
        .filter((l) => l !== '')) {
        const line = JSON.parse(text) as { method?: string; status?: number; path?: string }
        if (line.method !== undefined && line.status !== undefined)
          lines.push({ method: line.method, status: line.status, path: line.path ?? '' })
      }
      done()
    },
  })
  const gateway = await startGateway({ apiFile: api.apiFile, port: 0, logger: createLogger('info', sink) })
  return { gateway, api, lines }
}

/** Runs a cross-origin fetch in the page; what the page's script can read of the answer. */
async function crossOriginPut(
  page: Page,
  url: string,
): Promise<{ ok: boolean; status?: number; total?: string | null; body?: unknown; error?: string }> {
  return page.evaluate(async (target) => {
    try {
      const res = await fetch(target, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
        body: JSON.stringify({ n: 1 }),
      })
      return { ok: true, status: res.status, total: res.headers.get('x-total'), body: await res.json() }
    } catch (err) {
      return { ok: false, error: String(err) }
    }
  }, url)
}

browserSuite('CORS in Chromium: a page on one origin calls the API on another', { timeout: 120_000 }, () => {
  let browser: Browser
  let page: Page
  let pageSite: Awaited<ReturnType<typeof startPage>>
  const gateways: LoggedGateway[] = []

  before(async () => {
    pageSite = await startPage()
    browser = await launchChromium()
    // No request interception: with it, Playwright answers preflights itself.
    const context = await browser.newContext()
    context.setDefaultTimeout(15_000)
    page = await context.newPage()
    await page.goto(`${pageSite.origin}/`)
  })
  after(async () => {
    await browser?.close()
    for (const g of gateways) {
      await g.gateway.close()
      await g.api.remove()
    }
    await pageSite?.close()
  })

  it('HTTP API with x-amazon-apigateway-cors: preflight and PUT pass; another origin is refused', async () => {
    const g = await startLoggedGateway(
      openapi(
        { '/items': { put: lambdaOp('items') } },
        {
          'x-amazon-apigateway-importexport-version': '1.0',
          'x-amazon-apigateway-cors': {
            allowOrigins: [pageSite.origin],
            allowMethods: ['GET', 'PUT'],
            allowHeaders: ['content-type', 'authorization'],
            exposeHeaders: ['x-total'],
            maxAge: 0,
          },
        },
      ),
    )
    gateways.push(g)
    const result = await crossOriginPut(page, `${g.gateway.url}/items`)
    assert.deepEqual(result, { ok: true, status: 200, total: '1', body: { method: 'PUT', body: '{"n":1}' } })
    assert.deepEqual(
      g.lines.map((l) => `${l.method} ${l.status}`),
      ['OPTIONS 204', 'PUT 200'],
      'the browser sent a preflight, then the request',
    )

    const other = await startLoggedGateway(
      openapi(
        { '/items': { put: lambdaOp('items') } },
        {
          'x-amazon-apigateway-importexport-version': '1.0',
          'x-amazon-apigateway-cors': { allowOrigins: ['https://elsewhere.example'], allowMethods: ['PUT'] },
        },
      ),
    )
    gateways.push(other)
    const refused = await crossOriginPut(page, `${other.gateway.url}/items`)
    assert.equal(refused.ok, false, 'the browser refuses an answer for another origin')
    assert.deepEqual(
      other.lines.map((l) => `${l.method} ${l.status}`),
      ['OPTIONS 204'],
      'the actual request is never sent',
    )
  })

  it('REST API with an OPTIONS mock integration: preflight and PUT pass', async () => {
    const allow = (value: string) => `'${value}'`
    const g = await startLoggedGateway(
      openapi({
        '/items': {
          options: {
            'x-amazon-apigateway-integration': {
              type: 'mock',
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
              responses: {
                default: {
                  statusCode: '200',
                  responseParameters: {
                    'method.response.header.Access-Control-Allow-Origin': allow(pageSite.origin),
                    'method.response.header.Access-Control-Allow-Methods': allow('OPTIONS,PUT'),
                    'method.response.header.Access-Control-Allow-Headers': allow(
                      'Content-Type,Authorization',
                    ),
                  },
                  responseTemplates: { 'application/json': '' },
                },
              },
              passthroughBehavior: 'when_no_match',
            },
          },
          put: {
            'x-amazon-apigateway-integration': {
              type: 'mock',
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
              responses: {
                default: {
                  statusCode: '200',
                  responseParameters: {
                    'method.response.header.Access-Control-Allow-Origin': allow(pageSite.origin),
                    'method.response.header.Access-Control-Expose-Headers': allow('x-total'),
                    'method.response.header.x-total': allow('1'),
                  },
                  responseTemplates: {
                    'application/json': '{"method": "$context.httpMethod"}',
                  },
                },
              },
            },
          },
        },
      }),
    )
    gateways.push(g)
    const result = await crossOriginPut(page, `${g.gateway.url}/items`)
    assert.deepEqual(result, { ok: true, status: 200, total: '1', body: { method: 'PUT' } })
    assert.deepEqual(
      g.lines.map((l) => `${l.method} ${l.status}`),
      ['OPTIONS 200', 'PUT 200'],
    )
  })
})
