/** Peer: nginx `auth_request` to a Node JWT authorizer (jose, verify on every request), then proxy_pass. */
import { nginxHttpBlock, startNginx } from '../lib/nginx.ts'
import { fixture, type Scenario, startNodeServer } from '../lib/scenario.ts'
import { AUDIENCE } from '../lib/tokens.ts'

export const nginxAuthRequest: Scenario = {
  id: 'nginx-authreq',
  label: 'nginx auth_request → Node JWT authorizer (jose)',
  kind: 'peer',
  path: '/api/items',
  async start(ctx) {
    const authz = await startNodeServer(
      ctx,
      'nginx-authreq-authorizer',
      fixture('jwt-authorizer.ts'),
      { ISSUER: ctx.identity.issuer, AUDIENCE },
      ctx.cpus.server,
    )
    const port = await ctx.nextPort()
    const upstream = new URL(ctx.upstreamUrl).host
    const handle = await startNginx(
      ctx,
      'nginx-authreq',
      nginxHttpBlock(`  upstream up { server ${upstream}; keepalive 64; keepalive_requests 1000000; }
  upstream authz { server 127.0.0.1:${authz.port}; keepalive 64; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:${port};
    location / { auth_request /_auth; proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; }
    location = /_auth {
      internal;
      proxy_pass http://authz; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_pass_request_body off; proxy_set_header Content-Length ""; proxy_set_header X-Original-URI $request_uri;
    }
  }`),
    )
    return {
      url: `http://127.0.0.1:${port}`,
      measured: [handle, authz.handle],
      owned: [handle, authz.handle],
    }
  },
}
