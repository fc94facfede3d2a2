// The dev org's Pub/Sub API: Salesforce's `eventbus.v1.PubSub` gRPC service over TLS, backed by
// the org's event bus. GetTopic, GetSchema, Subscribe, Publish and PublishStream are served;
// ManagedSubscribe is declared (the service definition is Salesforce's) but answers UNIMPLEMENTED.

import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import {
  type GrpcObject,
  loadPackageDefinition,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServiceClientConstructor,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js'
import { loadSync, type Options } from '@grpc/proto-loader'
import type { EventBus } from '../events/event-bus.ts'
import { handlePublish, handlePublishStream } from './publish-calls.ts'
import { type CallerCheck, identifyCaller } from './pubsub-caller.ts'
import { pubsubErrors, statusOf } from './pubsub-errors.ts'
import { handleSubscribe } from './subscribe-call.ts'
import type { TlsCertificate } from './tls-certificate.ts'

export const PROTO_PATH = fileURLToPath(new URL('./pubsub_api.proto', import.meta.url))

/** Replay ids and payloads stay Buffers; 64-bit integers stay strings; enums are names. */
export const PROTO_OPTIONS: Options = { keepCase: false, longs: String, enums: String, defaults: true }

export const DEFAULT_KEEPALIVE_MS = 60_000
export const DEFAULT_PUBLISH_IDLE_MS = 70_000

export type PubSubServerOptions = CallerCheck & {
  bus: EventBus
  certificate: TlsCertificate
  host: string
  port: number
  keepaliveMs?: number
  publishIdleMs?: number
  unavailable?: () => boolean
}

export type PubSubServer = {
  /** `host:port` as a client dials it. */
  endpoint: string
  port: number
  /** The PEM certificate the server presents, for clients that pin it. */
  certificate: string
  close(): Promise<void>
}

/** The `eventbus.v1.PubSub` service definition loaded from our proto. */
export function loadPubSubService(): ServiceClientConstructor {
  const pkg = loadPackageDefinition(loadSync(PROTO_PATH, PROTO_OPTIONS))
  const v1 = (pkg.eventbus as GrpcObject).v1 as GrpcObject
  return v1.PubSub as ServiceClientConstructor
}

export async function startPubSubServer(options: PubSubServerOptions): Promise<PubSubServer> {
  const unavailable = options.unavailable ?? (() => false)
  const deps = {
    orgId: options.orgId,
    authenticate: options.authenticate,
    bus: options.bus,
    keepaliveMs: options.keepaliveMs ?? DEFAULT_KEEPALIVE_MS,
    publishIdleMs: options.publishIdleMs ?? DEFAULT_PUBLISH_IDLE_MS,
    unavailable,
  }

  function unary<Req, Res>(answer: (request: Req) => Res) {
    return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
      const rpcId = randomUUID()
      try {
        if (unavailable()) throw pubsubErrors.unavailable()
        identifyCaller(deps, call.metadata)
        callback(null, { ...answer(call.request), rpcId })
      } catch (error) {
        callback(statusOf(error, rpcId))
      }
    }
  }

  const server = new Server()
  server.addService(loadPubSubService().service, {
    GetTopic: unary((request: { topicName?: string }) => {
      const topic = options.bus.topic(request.topicName ?? '')
      if (!topic) throw pubsubErrors.topicNotFound(request.topicName ?? '')
      return {
        topicName: topic.name,
        tenantGuid: options.orgId,
        canPublish: topic.canPublish,
        canSubscribe: topic.canSubscribe,
        schemaId: topic.codec.schemaId,
      }
    }),
    GetSchema: unary((request: { schemaId?: string }) => {
      const found = options.bus.codec(request.schemaId ?? '')
      if (!found) throw pubsubErrors.schemaNotFound(request.schemaId ?? '')
      return { schemaJson: found.codec.json, schemaId: found.codec.schemaId }
    }),
    Subscribe: handleSubscribe.bind(null, deps),
    Publish: handlePublish.bind(null, deps),
    PublishStream: handlePublishStream.bind(null, deps),
    ManagedSubscribe: (call: { emit(event: 'error', error: unknown): void }) => {
      call.emit('error', { code: status.UNIMPLEMENTED, details: 'Managed subscriptions are not available.' })
    },
  })

  const credentials = ServerCredentials.createSsl(
    null,
    [
      {
        cert_chain: Buffer.from(options.certificate.cert),
        private_key: Buffer.from(options.certificate.key),
      },
    ],
    false,
  )
  const bindHost = options.host.includes(':') ? `[${options.host}]` : options.host
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${bindHost}:${options.port}`, credentials, (error, bound) =>
      error ? reject(error) : resolve(bound),
    )
  })

  return {
    endpoint: `${bindHost === '0.0.0.0' || bindHost === '[::]' ? '127.0.0.1' : bindHost}:${port}`,
    port,
    certificate: options.certificate.cert,
    close: async () => {
      // Open Subscribe streams never end on their own: cut them rather than wait.
      server.forceShutdown()
    },
  }
}
