/** Baseline: node:http + undici Pool.stream, the practical single-core limit for a Node gateway. */
import { fixture, type Scenario, startNodeServer } from '../lib/scenario.ts'

export const undiciProxy: Scenario = {
  id: 'undici',
  label: 'minimal Node proxy (node:http + undici Pool.stream)',
  kind: 'baseline',
  path: '/api/items',
  async start(ctx) {
    const { handle, port } = await startNodeServer(
      ctx,
      'undici-proxy',
      fixture('undici-proxy.ts'),
      { UPSTREAM: ctx.upstreamUrl },
      ctx.cpus.server,
    )
    return { url: `http://127.0.0.1:${port}`, measured: [handle], owned: [handle] }
  },
}
