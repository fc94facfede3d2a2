// Our thin client of Salesforce's Pub/Sub API (eventbus.v1.PubSub) on @grpc/grpc-js: unary
// GetTopic and GetSchema, and the Subscribe stream, each call carrying the org's auth metadata.
// Reconnects, token refresh and flow control are the subscription runner's: this file only
// speaks the wire.

import { fileURLToPath } from 'node:url'
import {
  type ChannelCredentials,
  type ClientDuplexStream,
  type GrpcObject,
  loadPackageDefinition,
  Metadata,
  type ServiceClientConstructor,
  type ServiceError,
} from '@grpc/grpc-js'
import { loadSync } from '@grpc/proto-loader'

const PROTO_PATH = fileURLToPath(new URL('./pubsub_api.proto', import.meta.url))

/** Replay ids and payloads stay Buffers, enums are names, absent fields get their defaults. */
const PROTO_OPTIONS = { keepCase: false, longs: String, enums: String, defaults: true } as const

/** What Salesforce requires on every call. */
export interface PubSubAuth {
  readonly accessToken: string
  readonly instanceUrl: string
  readonly tenantId: string
}

export interface ConsumerEvent {
  readonly event: { readonly id: string; readonly schemaId: string; readonly payload: Buffer }
  readonly replayId: Buffer
}

export interface FetchResponse {
  readonly events: readonly ConsumerEvent[]
  readonly latestReplayId: Buffer
  readonly rpcId: string
  readonly pendingNumRequested: number
}

export interface FetchRequest {
  readonly topicName?: string
  readonly replayPreset?: 'LATEST' | 'EARLIEST' | 'CUSTOM'
  readonly replayId?: Buffer
  readonly numRequested: number
}

export type SubscribeStream = ClientDuplexStream<FetchRequest, FetchResponse>

type Unary = (
  request: object,
  metadata: Metadata,
  options: { deadline: number },
  callback: (error: ServiceError | null, response: Record<string, unknown>) => void,
) => void

let service: ServiceClientConstructor | undefined
function pubSubService(): ServiceClientConstructor {
  if (service === undefined) {
    const pkg = loadPackageDefinition(loadSync(PROTO_PATH, PROTO_OPTIONS))
    service = ((pkg.eventbus as GrpcObject).v1 as GrpcObject).PubSub as ServiceClientConstructor
  }
  return service
}

export function authMetadata(auth: PubSubAuth): Metadata {
  const metadata = new Metadata()
  metadata.set('accesstoken', auth.accessToken)
  metadata.set('instanceurl', auth.instanceUrl)
  metadata.set('tenantid', auth.tenantId)
  return metadata
}

export class PubSubClient {
  readonly #client: InstanceType<ServiceClientConstructor>
  readonly #unaryTimeoutMs: number

  /** `serverName`: the TLS name to send instead of the endpoint's host (an IP literal is no name). */
  constructor(
    endpoint: string,
    credentials: ChannelCredentials,
    unaryTimeoutMs = 10_000,
    serverName?: string,
  ) {
    const Service = pubSubService()
    this.#client = new Service(endpoint, credentials, {
      // Salesforce closes idle HTTP/2 connections; pings keep a quiet subscription's channel honest.
      'grpc.keepalive_time_ms': 60_000,
      'grpc.max_receive_message_length': 16 * 1024 * 1024,
      ...(serverName === undefined ? {} : { 'grpc.ssl_target_name_override': serverName }),
    })
    this.#unaryTimeoutMs = unaryTimeoutMs
  }

  #unary(method: string, request: object, auth: PubSubAuth): Promise<Record<string, unknown>> {
    const fn = (this.#client as unknown as Record<string, Unary>)[method]!
    return new Promise((resolve, reject) => {
      fn.call(
        this.#client,
        request,
        authMetadata(auth),
        { deadline: Date.now() + this.#unaryTimeoutMs },
        (error, response) => (error === null ? resolve(response) : reject(error)),
      )
    })
  }

  async getTopic(topicName: string, auth: PubSubAuth): Promise<{ schemaId: string; canSubscribe: boolean }> {
    const info = await this.#unary('GetTopic', { topicName }, auth)
    return { schemaId: String(info.schemaId), canSubscribe: info.canSubscribe === true }
  }

  async getSchema(schemaId: string, auth: PubSubAuth): Promise<string> {
    const info = await this.#unary('GetSchema', { schemaId }, auth)
    return String(info.schemaJson)
  }

  subscribe(auth: PubSubAuth): SubscribeStream {
    const open = (this.#client as unknown as { Subscribe(m: Metadata): SubscribeStream }).Subscribe
    return open.call(this.#client, authMetadata(auth))
  }

  close(): void {
    this.#client.close()
  }
}
