/** Baseline: the Node upstream hit directly (100-byte JSON), the same process every proxy uses. */
import type { Scenario } from '../lib/scenario.ts'

export const directUpstream: Scenario = {
  id: 'direct',
  label: 'direct → Node upstream',
  kind: 'baseline',
  path: '/api/items',
  async start(ctx) {
    return { url: ctx.upstreamUrl, measured: [ctx.upstreamHandle], owned: [] }
  },
}
