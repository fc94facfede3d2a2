// A dev org serving the Pub/Sub API on a free port, a token for its integration user, and a raw
// gRPC client on our own service definition, for the tests in this folder.

import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js'
import avro from 'avsc'
import { type DevOrg, type DevOrgOptions, startDevOrg } from '../../../devorg/index.ts'
import { loadPubSubService } from '../../../devorg/pubsub/pubsub-server.ts'
import { app, clientCredentialsToken } from '../oauth/org-client.ts'

export const GATEWAY_APP = 'forcegate Gateway'
export const TOPIC = '/event/Order_Event__e'

export type RawClient = InstanceType<ReturnType<typeof loadPubSubService>>

export type PubSubTestOrg = {
  org: DevOrg
  endpoint: string
  /** The integration user's current access token. */
  token: string
  /** Mints a new token (after the org's clock moved past the old one's expiry). */
  renewToken(): Promise<void>
  /** Metadata as Salesforce expects it on every call; `token` replaces the access token. */
  metadata(token?: string): Metadata
  /** A client that verifies the org's certificate (pinned) rather than skipping verification. */
  raw: RawClient
  close(): Promise<void>
}

export async function startPubSubOrg(options: DevOrgOptions = {}): Promise<PubSubTestOrg> {
  const org = await startDevOrg({ pubsub: { port: 0 }, ...options })
  if (!org.pubsub) throw new Error('the Pub/Sub API did not start')
  const { access_token: token } = await clientCredentialsToken(org, GATEWAY_APP)
  const Service = loadPubSubService()
  const raw = new Service(org.pubsub.endpoint, credentials.createSsl(Buffer.from(org.pubsub.certificate)))
  const t: PubSubTestOrg = {
    org,
    endpoint: org.pubsub.endpoint,
    token,
    async renewToken() {
      t.token = (await clientCredentialsToken(org, GATEWAY_APP)).access_token
    },
    metadata(value = t.token) {
      const m = new Metadata()
      m.set('accesstoken', value)
      m.set('instanceurl', 'https://forcegate-dev.my.salesforce.com')
      m.set('tenantid', org.orgId)
      return m
    },
    raw,
    close: async () => {
      raw.close()
      await org.close()
    },
  }
  return t
}

export function gatewayApp(org: DevOrg) {
  return app(org, GATEWAY_APP)
}

/** A unary call as a promise. */
export function unaryCall<Res>(
  client: RawClient,
  method: string,
  request: object,
  metadata: Metadata,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    type Unary = (
      this: RawClient,
      request: object,
      metadata: Metadata,
      callback: (error: ServiceError | null, response: Res) => void,
    ) => void
    const fn = (client as unknown as Record<string, Unary>)[method]
    if (!fn) throw new Error(`no method ${method}`)
    fn.call(client, request, metadata, (error, response) => (error ? reject(error) : resolve(response)))
  })
}

/** Publishes Order_Event__e events over gRPC, encoded with the topic's schema; answers their replay ids. */
export async function publishRaw(t: PubSubTestOrg, orderNumbers: string[]): Promise<Buffer[]> {
  const { schemaId } = await unaryCall<{ schemaId: string }>(
    t.raw,
    'GetTopic',
    { topicName: TOPIC },
    t.metadata(),
  )
  const { schemaJson } = await unaryCall<{ schemaJson: string }>(
    t.raw,
    'GetSchema',
    { schemaId },
    t.metadata(),
  )
  const type = avro.Type.forSchema(JSON.parse(schemaJson) as avro.Schema)
  const events = orderNumbers.map((n, i) => ({
    id: `raw-${i}`,
    schemaId,
    payload: type.toBuffer({
      CreatedDate: Date.now(),
      CreatedById: '005000000000000AAA',
      Order_Number__c: n,
      Status__c: null,
      Amount__c: null,
    }),
  }))
  const response = await unaryCall<{ results: { replayId: Buffer; error?: { msg: string } | null }[] }>(
    t.raw,
    'Publish',
    { topicName: TOPIC, events },
    t.metadata(),
  )
  return response.results.map((r) => {
    if (r.error) throw new Error(r.error.msg)
    return r.replayId
  })
}

/** The Salesforce error code a failed call carried in its trailers. */
export function errorCodeOf(error: unknown): string | undefined {
  const value = (error as ServiceError).metadata?.get('error-code')[0]
  return typeof value === 'string' ? value : undefined
}

/** REST publish of an Order_Event__e; answers the EventUuid the org reports. */
export async function restPublish(t: PubSubTestOrg, fields: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${t.org.url}/services/data/v62.0/sobjects/Order_Event__e`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  })
  if (res.status !== 201) throw new Error(`REST publish failed: ${res.status} ${await res.text()}`)
  const body = (await res.json()) as { errors: { message: string }[] }
  return body.errors[0]?.message ?? ''
}

export const quietLogger = { debug() {}, info() {}, warn() {}, error() {} }
