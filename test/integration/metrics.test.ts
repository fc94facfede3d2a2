import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { channel } from 'node:diagnostics_channel'
import { after, before, describe, test } from 'node:test'
import { type Gateway, startGateway } from '../../src/gateway.ts'
import { createLogger } from '../../src/observability/logger.ts'
import { serveCli } from '../helpers/cli-process.ts'
import { lambdaOp, lambdaUri, type TempApi, tempApi } from '../helpers/temp-api.ts'
import { openapi } from '../helpers/test-gateway.ts'

const TOKEN = randomBytes(24).toString('base64url')

const AUTHORIZER = `export const handler = async (event) => {
  const allow = event.authorizationToken === 'Bearer alice'
  return {
    principalId: 'user-alice',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: allow ? 'Allow' : 'Deny', Resource: event.methodArn }],
    },
  }
}\n`

function document() {
  return openapi(
    {
      '/ok': { get: lambdaOp('ok') },
      '/boom': { get: lambdaOp('boom') },
      '/guarded': { get: { ...lambdaOp('ok'), security: [{ bearer: [] }] } },
    },
    {
      components: {
        securitySchemes: {
          bearer: {
            type: 'apiKey',
            name: 'Authorization',
            in: 'header',
            'x-amazon-apigateway-authorizer': {
              type: 'token',
              authorizerUri: lambdaUri('policy'),
              authorizerResultTtlInSeconds: 300,
            },
          },
        },
      },
    },
  )
}

const FUNCTIONS = {
  'policy.mjs': AUTHORIZER,
  'ok.mjs': `export const handler = async () => ({ statusCode: 200, body: 'ok' })\n`,
  'boom.mjs': `export const handler = async () => ({ statusCode: 502, body: 'bad' })\n`,
}

async function get(url: string, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(url, { headers })
  await res.arrayBuffer()
  return res.status
}

/** Samples of one metric as `{labels} value` lines, parsed. */
function samples(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue
    const close = line.lastIndexOf('}')
    out.set(line.slice(name.length, close + 1), Number(line.slice(close + 2)))
  }
  return out
}

/**
 * A response is counted when it finishes, which may follow the client's read by a tick: scrape
 * until the last request of the mix shows.
 */
async function scrapeUntil(url: string, headers: Record<string, string>, ready: (text: string) => boolean) {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, { headers })
    const text = await res.text()
    if (res.status !== 200 || ready(text) || attempt === 50) return { res, text }
    await new Promise((resolve) => setImmediate(resolve))
  }
}

describe('/_forcegate/metrics on the API listener', () => {
  let api: TempApi
  let gw: Gateway
  before(async () => {
    api = await tempApi(document(), FUNCTIONS)
    gw = await startGateway({
      apiFile: api.apiFile,
      port: 0,
      logger: createLogger('silent'),
      metrics: { token: TOKEN },
    })
  })
  after(async () => {
    await gw.close()
    await api.remove()
  })

  test('counts a known mix by route, method and status, with authorizer cache hits and misses', async () => {
    const mix = [
      await get(`${gw.url}/ok`),
      await get(`${gw.url}/ok`),
      await get(`${gw.url}/ok`),
      await get(`${gw.url}/boom`),
      await get(`${gw.url}/nowhere`),
      await get(`${gw.url}/guarded`, { authorization: 'Bearer alice' }),
      await get(`${gw.url}/guarded`, { authorization: 'Bearer alice' }),
      await get(`${gw.url}/guarded`, { authorization: 'Bearer mallory' }),
      await get(`${gw.url}/guarded`),
    ]
    assert.deepEqual(mix, [200, 200, 200, 502, 403, 200, 200, 403, 401])
    const { res, text } = await scrapeUntil(
      `${gw.url}/_forcegate/metrics`,
      { authorization: `Bearer ${TOKEN}` },
      (t) => t.includes('forcegate_requests_total{route="GET /guarded",method="GET",status="401"} 1'),
    )
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
    const requests = samples(text, 'forcegate_requests_total')
    assert.equal(requests.get('{route="GET /ok",method="GET",status="200"}'), 3)
    assert.equal(requests.get('{route="GET /boom",method="GET",status="502"}'), 1)
    assert.equal(requests.get('{route="unmatched",method="GET",status="403"}'), 1)
    assert.equal(requests.get('{route="GET /guarded",method="GET",status="200"}'), 2)
    assert.equal(requests.get('{route="GET /guarded",method="GET",status="403"}'), 1)
    assert.equal(requests.get('{route="GET /guarded",method="GET",status="401"}'), 1)
    const latency = samples(text, 'forcegate_request_duration_seconds_count')
    assert.equal(latency.get('{route="GET /ok",method="GET"}'), 3)
    // The integration is timed around its call alone: the 401 and the 403s never reached it.
    const integration = samples(text, 'forcegate_integration_duration_seconds_count')
    assert.equal(integration.get('{route="GET /ok",integration="aws_proxy"}'), 3)
    assert.equal(integration.get('{route="GET /boom",integration="aws_proxy"}'), 1)
    assert.equal(integration.get('{route="GET /guarded",integration="aws_proxy"}'), 2)
    assert.equal(integration.size, 3)
    // alice: invoked once, then from the cache; mallory: a new token, invoked and denied; no
    // header: unauthorized before the cache or the function.
    const decisions = [...samples(text, 'forcegate_authorizer_decisions_total').entries()]
      .map(([labels, n]) => `${labels.replace(/authorizer="[^"]*",/, '')} ${n}`)
      .sort()
    assert.deepEqual(decisions, [
      '{cache="hit",outcome="allow"} 1',
      '{cache="miss",outcome="allow"} 1',
      '{cache="miss",outcome="deny"} 1',
      '{cache="none",outcome="unauthorized"} 1',
    ])
    const invoked = [...samples(text, 'forcegate_authorizer_duration_seconds_count').values()]
    assert.deepEqual(invoked, [2])
  })

  test('count without the decision trail: nobody subscribes to it, so requests build none', () => {
    assert.equal(channel('forcegate:trail').hasSubscribers, false)
  })

  test('refuses a scrape without the token (401) or with another (403)', async () => {
    const none = await fetch(`${gw.url}/_forcegate/metrics`)
    assert.equal(none.status, 401)
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="forcegate-metrics"')
    assert.doesNotMatch(await none.text(), /forcegate_requests_total/)
    const other = await fetch(`${gw.url}/_forcegate/metrics`, {
      headers: { authorization: 'Bearer not-the-token' },
    })
    assert.equal(other.status, 403)
    assert.doesNotMatch(await other.text(), /forcegate_requests_total/)
  })
})

describe('metrics on a separate port', () => {
  test('are public there and absent from the API listener', async () => {
    const api = await tempApi(document(), FUNCTIONS)
    const gw = await startGateway({
      apiFile: api.apiFile,
      port: 0,
      logger: createLogger('silent'),
      metrics: { port: 0 },
    })
    try {
      assert.ok(gw.metricsUrl !== undefined)
      assert.notEqual(new URL(gw.metricsUrl).port, new URL(gw.url).port)
      assert.equal(await get(`${gw.url}/ok`), 200)
      // The API listener has no such route: a REST API answers an unknown path 403.
      assert.equal(await get(`${gw.url}/_forcegate/metrics`, { authorization: `Bearer ${TOKEN}` }), 403)
      const { res, text } = await scrapeUntil(gw.metricsUrl, {}, (t) =>
        t.includes('route="unmatched",method="GET",status="403"'),
      )
      assert.equal(res.status, 200)
      assert.equal(
        samples(text, 'forcegate_requests_total').get('{route="GET /ok",method="GET",status="200"}'),
        1,
      )
      assert.equal(await get(gw.metricsUrl.replace('/_forcegate/metrics', '/other')), 404)
    } finally {
      await gw.close()
      await api.remove()
    }
  })

  test('a metrics token shorter than 16 characters stops the start', async () => {
    const api = await tempApi(document(), FUNCTIONS)
    try {
      await assert.rejects(
        startGateway({
          apiFile: api.apiFile,
          port: 0,
          logger: createLogger('silent'),
          metrics: { token: 'short' },
        }),
        /FORCEGATE_METRICS_TOKEN: a token of at least 16 characters/,
      )
    } finally {
      await api.remove()
    }
  })
})

describe('forcegate serve turns metrics on', () => {
  test('--metrics-port serves them in the clear and prints where', async () => {
    const api = await tempApi(document(), FUNCTIONS)
    const cli = await serveCli(['--api', api.apiFile, '--metrics-port', '0'])
    try {
      const url = (await cli.waitForLine(/^metrics: (http:\/\/\S+)$/))[1]!
      assert.equal(await get(`${cli.url}/ok`), 200)
      const { res, text } = await scrapeUntil(url, {}, (t) => t.includes('route="GET /ok"'))
      assert.equal(res.status, 200)
      assert.equal(
        samples(text, 'forcegate_requests_total').get('{route="GET /ok",method="GET",status="200"}'),
        1,
      )
    } finally {
      await cli.stop()
      await api.remove()
    }
  })

  test('FORCEGATE_METRICS_TOKEN serves them on the API port behind that token', async () => {
    const api = await tempApi(document(), FUNCTIONS)
    process.env.FORCEGATE_METRICS_TOKEN = TOKEN
    const cli = await serveCli(['--api', api.apiFile]).finally(
      () => delete process.env.FORCEGATE_METRICS_TOKEN,
    )
    try {
      assert.equal(await get(`${cli.url}/_forcegate/metrics`), 401)
      const { res, text } = await scrapeUntil(
        `${cli.url}/_forcegate/metrics`,
        { authorization: `Bearer ${TOKEN}` },
        (t) => t.includes('status="401"'),
      )
      assert.equal(res.status, 200)
      const requests = samples(text, 'forcegate_requests_total')
      assert.equal(requests.get('{route="GET /_forcegate/metrics",method="GET",status="401"}'), 1)
    } finally {
      await cli.stop()
      await api.remove()
    }
  })
})

describe('metrics in forcegate.yaml', () => {
  async function withConfig(config: string, use: (gw: Gateway) => Promise<void>): Promise<void> {
    const api = await tempApi(document(), FUNCTIONS)
    try {
      const gw = await startGateway({
        apiFile: api.apiFile,
        configFile: await api.file('forcegate.yaml', config),
        port: 0,
        logger: createLogger('silent'),
      })
      try {
        await use(gw)
      } finally {
        await gw.close()
      }
    } finally {
      await api.remove()
    }
  }

  async function refused(config: string, message: RegExp): Promise<void> {
    const api = await tempApi(document(), FUNCTIONS)
    try {
      await assert.rejects(
        startGateway({
          apiFile: api.apiFile,
          configFile: await api.file('forcegate.yaml', config),
          port: 0,
          logger: createLogger('silent'),
        }),
        message,
      )
    } finally {
      await api.remove()
    }
  }

  test('a token read from the environment serves them on the API port behind it', async () => {
    process.env.FG_METRICS_FILE_TOKEN = TOKEN
    try {
      await withConfig('metrics:\n  token: { env: FG_METRICS_FILE_TOKEN }\n', async (gw) => {
        assert.equal(gw.metricsUrl, undefined)
        assert.equal(await get(`${gw.url}/ok`), 200)
        assert.equal(await get(`${gw.url}/_forcegate/metrics`), 401)
        const { res, text } = await scrapeUntil(
          `${gw.url}/_forcegate/metrics`,
          { authorization: `Bearer ${TOKEN}` },
          (t) => t.includes('route="GET /ok"'),
        )
        assert.equal(res.status, 200)
        assert.equal(
          samples(text, 'forcegate_requests_total').get('{route="GET /ok",method="GET",status="200"}'),
          1,
        )
      })
    } finally {
      delete process.env.FG_METRICS_FILE_TOKEN
    }
  })

  test('public: true with a port serves them in the clear on that port only', async () => {
    await withConfig('metrics:\n  port: 0\n  public: true\n', async (gw) => {
      assert.ok(gw.metricsUrl !== undefined)
      assert.equal(await get(`${gw.url}/_forcegate/metrics`, { authorization: `Bearer ${TOKEN}` }), 403)
      const res = await fetch(gw.metricsUrl)
      assert.equal(res.status, 200)
      assert.match(await res.text(), /# TYPE forcegate_requests_total counter/)
    })
  })

  test('a port that does not say public, public without a port, or a short token stop the start', async () => {
    await refused('metrics:\n  port: 0\n', /\/metrics\/port.*public: true/s)
    await refused('metrics:\n  public: true\n', /\/metrics\/public.*a port of their own/s)
    process.env.FG_METRICS_SHORT = 'short'
    try {
      await refused(
        'metrics:\n  token: { env: FG_METRICS_SHORT }\n',
        /\/metrics\/token.*at least 16 characters/s,
      )
    } finally {
      delete process.env.FG_METRICS_SHORT
    }
    await refused('metrics:\n  token: { env: FG_METRICS_UNSET_VARIABLE }\n', /FG_METRICS_UNSET_VARIABLE/)
    await refused('metrics:\n  port: 0\n  public: yes please\n', /\/metrics\/public/)
  })
})

describe('metrics across reloads', () => {
  test('a reloaded route table keeps counting into the same metrics', async () => {
    const api = await tempApi(document(), FUNCTIONS)
    const gw = await startGateway({
      apiFile: api.apiFile,
      port: 0,
      logger: createLogger('silent'),
      metrics: { token: TOKEN },
      reloadable: true,
    })
    try {
      assert.equal(await get(`${gw.url}/ok`), 200)
      await gw.reload?.()
      assert.equal(await get(`${gw.url}/ok`), 200)
      const { res, text } = await scrapeUntil(
        `${gw.url}/_forcegate/metrics`,
        { authorization: `Bearer ${TOKEN}` },
        (t) => t.includes('forcegate_requests_total{route="GET /ok",method="GET",status="200"} 2'),
      )
      assert.equal(res.status, 200)
      assert.equal(
        samples(text, 'forcegate_requests_total').get('{route="GET /ok",method="GET",status="200"}'),
        2,
      )
    } finally {
      await gw.close()
      await api.remove()
    }
  })
})
