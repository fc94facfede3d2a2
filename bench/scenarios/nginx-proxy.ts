/** Baseline: nginx proxy_pass with keep-alive to the Node upstream (one worker). */
import { nginxHttpBlock, startNginx } from '../lib/nginx.ts'
import type { Scenario } from '../lib/scenario.ts'

export const nginxProxy: Scenario = {
  id: 'nginx',
  label: 'nginx proxy_pass (keep-alive)',
  kind: 'baseline',
  path: '/api/items',
  async start(ctx) {
    const port = await ctx.nextPort()
    const upstream = new URL(ctx.upstreamUrl).host
    const handle = await startNginx(
      ctx,
      'nginx-proxy',
      nginxHttpBlock(`  upstream up { server ${upstream}; keepalive 64; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:${port};
    location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }`),
    )
    return { url: `http://127.0.0.1:${port}`, measured: [handle], owned: [handle] }
  },
}
