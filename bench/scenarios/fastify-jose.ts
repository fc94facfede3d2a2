/** Peer: fastify + @fastify/reply-from + jose, verifying the JWT on every request (installed at run time). */
import { fixture, type Scenario, startNodeServer, Unavailable } from '../lib/scenario.ts'
import { AUDIENCE } from '../lib/tokens.ts'
import { ensureNpmPeer } from '../lib/tools.ts'

export const FASTIFY_PACKAGES = ['fastify@5.12.8', '@fastify/reply-from@12.6.5']

export const fastifyJose: Scenario = {
  id: 'fastify-jose',
  label: 'fastify + reply-from + jose, new token each request',
  kind: 'peer',
  path: '/api/items',
  rotate: 'all',
  async start(ctx) {
    let dir: string
    try {
      dir = await ensureNpmPeer('fastify', FASTIFY_PACKAGES, ctx.log)
    } catch (err) {
      throw new Unavailable((err as Error).message)
    }
    const { handle, port } = await startNodeServer(
      ctx,
      'fastify-jose',
      fixture('fastify-jose.ts'),
      { UPSTREAM: ctx.upstreamUrl, ISSUER: ctx.identity.issuer, AUDIENCE, PEER_DIR: dir },
      ctx.cpus.server,
    )
    return { url: `http://127.0.0.1:${port}`, measured: [handle], owned: [handle] }
  },
}
