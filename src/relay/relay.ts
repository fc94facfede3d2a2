// The relay: one runner per subscription, sharing the store, one Pub/Sub channel per org and
// one Lambda invoker. Started by `forcegate relay` alone or by `forcegate serve` beside the
// listener, where route targets reach the gateway's own loopback URL.

import { isIP } from 'node:net'
import { type ChannelCredentials, credentials } from '@grpc/grpc-js'
import type { LambdaInvoker } from '../aws/lambda-invoker.ts'
import { ConfigError } from '../errors/config-error.ts'
import { EventDecoder } from './event-decoder.ts'
import { lambdaTarget } from './lambda-target.ts'
import { OrgSession } from './org-session.ts'
import { PubSubClient } from './pubsub-client.ts'
import type { OrgPlan, RelayPlan, SubscriptionPlan } from './relay-plan.ts'
import type { RelayStore } from './relay-store.ts'
import type { RelayTarget } from './relay-target.ts'
import { routeTarget } from './route-target.ts'
import { SqliteRelayStore } from './sqlite-relay-store.ts'
import { type RelayLog, SubscriptionRunner } from './subscription-runner.ts'

export interface RelayDeps {
  readonly log: RelayLog
  /** Runs Lambda targets; its modules must be loaded already. */
  readonly invoker: LambdaInvoker
  /** The gateway route targets are sent to (serve: its own listener; relay alone: relay.gatewayUrl). */
  readonly gatewayUrl?: string
  readonly aws: { readonly accountId: string; readonly region: string }
  readonly clock?: () => number
  readonly random?: () => number
  /** The file named in errors about the plan. */
  readonly file: string
  /** For the org's token endpoint (tests watch the tokens). */
  readonly fetch?: typeof fetch
  /** Where the relay's state lives (PostgreSQL when instances share it); default the plan's SQLite file. */
  readonly store?: RelayStore
}

export interface Relay {
  readonly store: RelayStore
  readonly subscriptions: readonly string[]
  /** Resolves when every runner ended; true when one failed. */
  readonly ended: Promise<boolean>
  close(): Promise<void>
}

/** Loopback stays loopback: a gateway bound to every interface is reached on 127.0.0.1. */
function loopbackUrl(url: string): string {
  const u = new URL(url)
  if (u.hostname === '0.0.0.0') u.hostname = '127.0.0.1'
  if (u.hostname === '[::]') u.hostname = '[::1]'
  return u.origin
}

/**
 * An unverified loopback endpoint written as an IP literal is reached as `localhost`: TLS
 * names no IP address (RFC 6066), and Node warns on every connection that tries.
 */
export function serverNameFor(org: OrgPlan): string | undefined {
  const [host] = org.endpoint.split(/:(?=\d+$)/)
  return org.insecure && host !== undefined && isIP(host.replace(/^\[|\]$/g, '')) !== 0
    ? 'localhost'
    : undefined
}

export function channelCredentials(org: OrgPlan): ChannelCredentials {
  if (org.insecure) return credentials.createSsl(null, null, null, { rejectUnauthorized: false })
  return credentials.createSsl(org.ca ?? null)
}

/** The relay's session with an org (its token), shared by the org's subscriptions. */
export function orgSessionFor(org: OrgPlan, deps: Pick<RelayDeps, 'fetch' | 'clock'>): OrgSession {
  return new OrgSession({
    issuer: org.issuer,
    clientId: org.clientId,
    grant: org.grant,
    timeoutMs: org.timeoutMs,
    ...(org.orgId === undefined ? {} : { orgId: org.orgId }),
    ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
    ...(deps.clock === undefined ? {} : { clock: deps.clock }),
  })
}

/** Builds a subscription's target (also used by `relay dlq retry`, which passes no session). */
export function targetFor(
  sub: SubscriptionPlan,
  deps: RelayDeps,
  session: OrgSession = orgSessionFor(sub.org, deps),
): RelayTarget {
  const t = sub.target
  if (t.kind === 'lambda')
    return lambdaTarget({
      invoker: deps.invoker,
      fn: t.fn,
      timeoutMs: t.timeoutMs,
      aws: deps.aws,
      clock: deps.clock ?? Date.now,
    })
  if (deps.gatewayUrl === undefined)
    throw new ConfigError(
      deps.file,
      '/relay/gatewayUrl',
      `subscription ${sub.config.name} targets a route: run it with forcegate serve, or set relay.gatewayUrl to the running gateway`,
    )
  return routeTarget({
    gatewayUrl: loopbackUrl(deps.gatewayUrl),
    method: t.method,
    path: t.path,
    headers: t.headers,
    timeoutMs: t.timeoutMs,
    ...(t.orgToken
      ? {
          orgToken: {
            token: async () => (await session.auth()).accessToken,
            invalidate: () => session.invalidate(),
          },
        }
      : {}),
  })
}

export function startRelay(plan: RelayPlan, deps: RelayDeps): Relay {
  const clock = deps.clock ?? Date.now
  const clients = new Map<string, { client: PubSubClient; session: OrgSession }>()
  const orgOf = (o: OrgPlan) => {
    let org = clients.get(o.name)
    if (org === undefined) {
      org = {
        client: new PubSubClient(o.endpoint, channelCredentials(o), undefined, serverNameFor(o)),
        session: orgSessionFor(o, deps),
      }
      clients.set(o.name, org)
    }
    return org
  }
  const targets = plan.subscriptions.map((sub) => targetFor(sub, deps, orgOf(sub.org).session))
  const store = deps.store ?? new SqliteRelayStore(plan.storePath, clock)
  const prune = () =>
    store
      .pruneDelivered(plan.dedupeWindowMs)
      .catch((err: Error) => deps.log.warn({ err: err.message }, 'relay ledger not pruned'))
  void prune()
  const runners = plan.subscriptions.map((sub, i) => {
    const { client, session } = orgOf(sub.org)
    return new SubscriptionRunner({
      config: sub.config,
      subscribe: (auth) => client.subscribe(auth),
      auth: () => session.auth(),
      invalidateAuth: () => session.invalidate(),
      decoder: new EventDecoder(async (schemaId) => client.getSchema(schemaId, await session.auth())),
      store,
      target: targets[i]!,
      log: deps.log,
      clock,
      ...(deps.random === undefined ? {} : { random: deps.random }),
    })
  })
  // Prune the ledger now and then; the window is days long, so hourly is plenty.
  const pruning = setInterval(prune, 3_600_000)
  pruning.unref()
  for (const sub of plan.subscriptions)
    deps.log.info(
      {
        relay: sub.config.name,
        topic: sub.config.topic,
        org: sub.org.name,
        target: targets[plan.subscriptions.indexOf(sub)]!.description,
      },
      'relay subscription starting',
    )
  const ended = Promise.all(runners.map((r) => r.start())).then((outcomes) => outcomes.includes('failed'))
  let closing: Promise<void> | undefined
  return {
    store,
    subscriptions: plan.subscriptions.map((s) => s.config.name),
    ended,
    close() {
      closing ??= (async () => {
        clearInterval(pruning)
        await Promise.all(runners.map((r) => r.stop()))
        for (const { client } of clients.values()) client.close()
        await store.close()
      })()
      return closing
    },
  }
}
