/**
 * forcegate with 10, 1,000 or 10,000 routes (generated into the scratch folder): route i is
 * `/svc<i>/items/{itemId}` with its own http_proxy integration to the upstream, and the
 * request goes to the last route of the document.
 */
import { apiDocument, httpProxy, startForcegate } from '../lib/forcegate.ts'
import type { Scenario } from '../lib/scenario.ts'

export function routeScenario(count: number): Scenario {
  return {
    id: `fg-routes-${count}`,
    label: `forcegate passthrough, ${count.toLocaleString('en-US')} routes`,
    kind: 'forcegate',
    path: `/svc${count - 1}/items/42`,
    start(ctx) {
      const paths: Record<string, unknown> = {}
      for (let i = 0; i < count; i++) {
        paths[`/svc${i}/items/{itemId}`] = httpProxy(`${ctx.upstreamUrl}/svc${i}/items/{itemId}`)
      }
      return startForcegate(
        ctx,
        `routes-${count}`,
        apiDocument(`bench ${count} routes`, paths, { http: true }),
        {
          readyTimeoutMs: 120_000,
        },
      )
    },
  }
}
