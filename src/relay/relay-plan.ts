// The relay's configuration checked across sections once, before anything connects: each
// subscription's org exists under salesforce.orgs and has a Pub/Sub endpoint under relay.orgs,
// its target is exactly one of route or lambda, secrets and certificates can be read. Every
// problem is reported in one run, with its pointer and line.

import { createPrivateKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, join } from 'node:path'
import { type FunctionRef, parseFunctionRef } from '../aws/function-ref.ts'
import type { GatewayFile } from '../config/gateway-file-schema.ts'
import type { SubscriptionConfig } from '../config/relay-schema.ts'
import { resolveSecret } from '../config/secret-ref.ts'
import { ConfigError, ConfigErrors } from '../errors/config-error.ts'

/** How the relay gets its token: the client credentials flow, or a JWT bearer assertion (RFC 7523). */
export type OrgGrant =
  | { readonly kind: 'client_credentials'; readonly clientSecret: string }
  | {
      readonly kind: 'jwt_bearer'
      readonly username: string
      /** PEM private key of the connected app's certificate. */
      readonly privateKey: string
      readonly audience: string
    }

export interface OrgPlan {
  readonly name: string
  readonly issuer: string
  readonly orgId?: string
  readonly clientId: string
  readonly grant: OrgGrant
  readonly timeoutMs: number
  readonly endpoint: string
  /** PEM roots to trust; undefined: the system's. */
  readonly ca?: Buffer
  readonly insecure: boolean
}

export type TargetPlan =
  | {
      readonly kind: 'route'
      readonly method: string
      readonly path: string
      readonly headers: Readonly<Record<string, string>>
      /** Send the relay's own org token as the bearer. */
      readonly orgToken: boolean
      readonly timeoutMs: number
    }
  | { readonly kind: 'lambda'; readonly fn: FunctionRef; readonly timeoutMs: number }

export interface SubscriptionPlan {
  readonly config: SubscriptionConfig
  readonly org: OrgPlan
  readonly target: TargetPlan
}

export interface RelayPlan {
  readonly storePath: string
  readonly dedupeWindowMs: number
  readonly gatewayUrl?: string
  readonly subscriptions: readonly SubscriptionPlan[]
}

function isPrivateKey(pem: string): boolean {
  try {
    createPrivateKey(pem)
    return true
  } catch {
    return false
  }
}

const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/

export function planRelay(
  config: GatewayFile,
  file: string,
  lineOf: (pointer: string) => number | undefined = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
): RelayPlan {
  const errors: ConfigError[] = []
  const fail = (pointer: string, expected: string) =>
    errors.push(new ConfigError(file, pointer, expected, lineOf(pointer)))
  const beside = (path: string) =>
    path === ':memory:' || isAbsolute(path) || file.startsWith('(') ? path : join(dirname(file), path)
  const secret = (ref: Parameters<typeof resolveSecret>[0], pointer: string): string | undefined => {
    try {
      return resolveSecret(ref, file, pointer, env)
    } catch (err) {
      if (err instanceof ConfigError)
        errors.push(new ConfigError(file, pointer, err.expected, lineOf(pointer)))
      return undefined
    }
  }

  const orgs = new Map<string, OrgPlan | undefined>()
  const orgPlan = (name: string, pointer: string): OrgPlan | undefined => {
    if (orgs.has(name)) return orgs.get(name)
    const sf = config.salesforce.orgs[name]
    const relayOrg = config.relay.orgs[name]
    let plan: OrgPlan | undefined
    if (sf === undefined) fail(pointer, `names no org under salesforce.orgs (${name})`)
    else if (relayOrg === undefined)
      fail(pointer, `relay.orgs.${name} must say where the org's Pub/Sub API is`)
    else {
      const base = `/relay/orgs/${name}`
      const [host] = relayOrg.pubsub.endpoint.split(/:(?=\d+$)/)
      if (relayOrg.pubsub.insecure === true && !LOOPBACK_HOST.test(host ?? ''))
        fail(`${base}/pubsub/insecure`, 'is accepted for loopback endpoints only; give ca: { file } instead')
      let ca: Buffer | undefined
      if (relayOrg.pubsub.ca !== undefined) {
        try {
          ca = readFileSync(beside(relayOrg.pubsub.ca.file))
        } catch {
          fail(`${base}/pubsub/ca/file`, `the certificate file ${relayOrg.pubsub.ca.file} cannot be read`)
        }
      }
      const issuer = sf.issuer.replace(/\/+$/, '')
      let grant: OrgGrant | undefined
      const jwt = relayOrg.jwtBearer
      if (jwt !== undefined) {
        const pointer = `${base}/jwtBearer/privateKey`
        const privateKey = secret(jwt.privateKey, pointer)
        if (privateKey !== undefined && !isPrivateKey(privateKey))
          fail(
            pointer,
            'must be a PEM private key (the key of the certificate uploaded to the connected app)',
          )
        else if (privateKey !== undefined)
          grant = { kind: 'jwt_bearer', username: jwt.username, privateKey, audience: jwt.audience ?? issuer }
      } else {
        const clientSecret =
          relayOrg.clientSecret === undefined
            ? secret(sf.introspection.clientSecret, `/salesforce/orgs/${name}/introspection/clientSecret`)
            : secret(relayOrg.clientSecret, `${base}/clientSecret`)
        if (clientSecret !== undefined) grant = { kind: 'client_credentials', clientSecret }
      }
      if (jwt !== undefined && relayOrg.clientSecret !== undefined)
        fail(`${base}/clientSecret`, 'is not used with jwtBearer: give one of them')
      if (grant !== undefined) {
        plan = {
          name,
          issuer,
          ...(sf.orgId === undefined ? {} : { orgId: sf.orgId }),
          clientId: relayOrg.clientId ?? sf.introspection.clientId,
          grant,
          timeoutMs: sf.timeoutMs,
          endpoint: relayOrg.pubsub.endpoint,
          ...(ca === undefined ? {} : { ca }),
          insecure: relayOrg.pubsub.insecure === true,
        }
      }
    }
    orgs.set(name, plan)
    return plan
  }

  const seen = new Set<string>()
  const subscriptions: SubscriptionPlan[] = []
  config.subscriptions.forEach((sub, i) => {
    const at = `/subscriptions/${i}`
    if (seen.has(sub.name)) fail(`${at}/name`, `another subscription is already named ${sub.name}`)
    seen.add(sub.name)
    if (sub.replay === 'custom' && sub.replayId === undefined)
      fail(`${at}/replay`, 'custom needs a replayId (hex)')
    if (sub.retry.maxDelayMs < sub.retry.baseDelayMs)
      fail(`${at}/retry/maxDelayMs`, 'must not be below baseDelayMs')
    const org = orgPlan(sub.org, `${at}/org`)
    const t = sub.target
    let target: TargetPlan | undefined
    if ((t.route === undefined) === (t.lambda === undefined)) {
      fail(`${at}/target`, 'needs exactly one of route or lambda')
    } else if (t.route !== undefined) {
      const headers: Record<string, string> = {}
      const orgToken = t.route.authorization === 'org'
      for (const [name, value] of Object.entries(t.route.headers)) {
        const pointer = `${at}/target/route/headers/${name}`
        if (name.toLowerCase().startsWith('x-forcegate-'))
          fail(pointer, "x-forcegate-* headers are the gateway's own and are stripped from requests")
        if (orgToken && name.toLowerCase() === 'authorization')
          fail(pointer, 'is set by authorization: org; give one of them')
        const v = typeof value === 'string' ? value : secret(value, pointer)
        if (v !== undefined) headers[name.toLowerCase()] = v
      }
      target = {
        kind: 'route',
        method: t.route.method,
        path: t.route.path,
        headers,
        orgToken,
        timeoutMs: t.timeoutMs,
      }
    } else if (t.lambda !== undefined) {
      const name = t.lambda.function
      const fn =
        parseFunctionRef(name) ??
        parseFunctionRef(`arn:aws:lambda:${config.api.region}:${config.api.accountId}:function:${name}`)
      if (fn === undefined) fail(`${at}/target/lambda/function`, 'is not a function name or ARN')
      else target = { kind: 'lambda', fn, timeoutMs: t.timeoutMs }
    }
    if (org !== undefined && target !== undefined) subscriptions.push({ config: sub, org, target })
  })
  if (errors.length > 0) throw errors.length === 1 ? errors[0]! : new ConfigErrors(errors)
  return {
    storePath: beside(config.relay.store),
    dedupeWindowMs: config.relay.dedupeWindowMs,
    ...(config.relay.gatewayUrl === undefined ? {} : { gatewayUrl: config.relay.gatewayUrl }),
    subscriptions,
  }
}
