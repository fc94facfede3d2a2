import { type Static, Type } from '@sinclair/typebox'
import { LambdaSchema } from './lambda-schema.ts'
import { MetricsSchema } from './metrics-schema.ts'
import { PartnersSchema } from './partners-schema.ts'
import { PortalSchema } from './portal-schema.ts'
import { RelaySchema, SubscriptionsSchema } from './relay-schema.ts'
import { SalesforceSchema } from './salesforce-schema.ts'
import { StoresSchema } from './stores-schema.ts'

const Port = Type.Integer({ minimum: 0, maximum: 65535, description: 'TCP port; 0 picks a free one.' })

export const ServerSchema = Type.Object(
  {
    host: Type.String({ default: '127.0.0.1', description: 'Address to listen on.' }),
    port: { ...Port, default: 8080 },
    headersTimeoutMs: Type.Integer({
      minimum: 1000,
      maximum: 300_000,
      default: 20_000,
      description: 'Time allowed to receive the request headers (408 after).',
    }),
    requestTimeoutMs: Type.Integer({
      minimum: 1000,
      maximum: 3_600_000,
      default: 120_000,
      description: 'Time allowed to receive the whole request.',
    }),
    keepAliveTimeoutMs: Type.Integer({
      minimum: 100,
      maximum: 600_000,
      default: 5_000,
      description: 'Idle keep-alive connections close after this.',
    }),
    maxHeaderBytes: Type.Integer({
      minimum: 1024,
      maximum: 1_048_576,
      default: 16_384,
      description: 'Header section limit (431 above).',
    }),
    maxBodyBytes: Type.Integer({
      minimum: 0,
      maximum: 1_073_741_824,
      default: 10_485_760,
      description: 'Request body limit (413 above); API Gateway allows 10 MB.',
    }),
    maxUrlBytes: Type.Integer({
      minimum: 256,
      maximum: 65_536,
      default: 8_192,
      description: 'Request target limit (414 above).',
    }),
    trustedProxyHops: Type.Integer({
      minimum: 0,
      maximum: 10,
      default: 0,
      description:
        'Proxies in front of the gateway whose X-Forwarded-For entries are trusted; 0 ignores the client-sent header.',
    }),
  },
  { additionalProperties: false, default: {} },
)

export const ApiSchema = Type.Object(
  {
    stage: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_$-]+$',
        description: 'Stage name shown in events; REST default "dev", HTTP API default "$default".',
      }),
    ),
    stageVariables: Type.Record(Type.String({ pattern: '^[A-Za-z0-9_]+$' }), Type.String(), {
      default: {},
      additionalProperties: false,
    }),
    apiId: Type.String({
      pattern: '^[a-z0-9]{1,32}$',
      default: 'forcegate0',
      description: 'API id used in ARNs and event request contexts.',
    }),
    accountId: Type.String({ pattern: '^\\d{12}$', default: '123456789012' }),
    region: Type.String({ pattern: '^[a-z0-9-]+$', default: 'us-east-1' }),
  },
  { additionalProperties: false, default: {} },
)

export const LogSchema = Type.Object(
  {
    level: Type.Union(
      [
        Type.Literal('debug'),
        Type.Literal('info'),
        Type.Literal('warn'),
        Type.Literal('error'),
        Type.Literal('silent'),
      ],
      { default: 'info' },
    ),
    access: Type.Boolean({ default: true, description: 'One JSON access-log line per request.' }),
  },
  { additionalProperties: false, default: {} },
)

export const GatewayFileSchema = Type.Object(
  {
    server: ServerSchema,
    api: ApiSchema,
    functions: Type.Array(Type.String(), {
      default: [],
      description: 'Folders holding Lambda handler modules, searched in order.',
    }),
    lambda: LambdaSchema,
    log: LogSchema,
    salesforce: SalesforceSchema,
    partners: Type.Optional(PartnersSchema),
    portal: Type.Optional(PortalSchema),
    metrics: Type.Optional(MetricsSchema),
    relay: RelaySchema,
    subscriptions: SubscriptionsSchema,
    stores: StoresSchema,
  },
  { additionalProperties: false },
)

export type GatewayFile = Static<typeof GatewayFileSchema>
