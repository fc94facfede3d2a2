/** forcegate: an HTTP API `{proxy+}` route with an http_proxy integration to the upstream, no authorizer. */
import { apiDocument, httpProxy, startForcegate } from '../lib/forcegate.ts'
import type { Scenario } from '../lib/scenario.ts'

export const forcegatePassthrough: Scenario = {
  id: 'fg-passthrough',
  label: 'forcegate http_proxy passthrough',
  kind: 'forcegate',
  path: '/api/items',
  start: (ctx) =>
    startForcegate(
      ctx,
      'passthrough',
      apiDocument(
        'bench passthrough',
        { '/{proxy+}': httpProxy(`${ctx.upstreamUrl}/{proxy}`) },
        { http: true },
      ),
    ),
}
