import { type Static, Type } from '@sinclair/typebox'
import { SecretRefSchema } from './secret-ref.ts'

const RedisStoreSchema = Type.Object(
  {
    url: SecretRefSchema,
    onStoreError: Type.Union([Type.Literal('closed'), Type.Literal('local')], {
      default: 'closed',
      description:
        'When Redis does not answer: closed answers 503 with Retry-After; local counts in each instance alone, at 1/instances of the plan.',
    }),
    instances: Type.Integer({
      minimum: 1,
      default: 1,
      description: 'Gateway instances sharing the plans (N in the local fallback).',
    }),
    commandTimeoutMs: Type.Integer({
      minimum: 10,
      maximum: 5000,
      default: 250,
      description: 'Longest wait for Redis on a request before onStoreError decides.',
    }),
    retryAfterSeconds: Type.Integer({ minimum: 1, default: 1, description: 'Retry-After of the 503.' }),
    keyPrefix: Type.String({ minLength: 1, default: 'forcegate:usage' }),
  },
  { additionalProperties: false },
)

const PostgresStoreSchema = Type.Object(
  {
    url: SecretRefSchema,
    queryTimeoutMs: Type.Integer({
      minimum: 50,
      maximum: 30_000,
      default: 2000,
      description: 'Longest wait for a connection or a query; past it the request is refused.',
    }),
    maxConnections: Type.Integer({
      minimum: 1,
      maximum: 100,
      default: 10,
      description: 'Pool size of each store in an instance (partners, portal sessions, the relay).',
    }),
    changePollMs: Type.Integer({
      minimum: 100,
      maximum: 300_000,
      default: 5000,
      description:
        'The backstop of change notifications: how often each instance asks which partners changed. A suspension, rotation or deletion reaches every instance within this bound.',
    }),
  },
  { additionalProperties: false },
)

/**
 * Shared stores for running several gateway instances. Absent, each instance keeps its own
 * usage counters in memory and its partners, portal sessions and relay state in SQLite (the
 * embedded defaults); with `postgres`, all three live there.
 */
export const StoresSchema = Type.Object(
  {
    redis: Type.Optional(RedisStoreSchema),
    postgres: Type.Optional(PostgresStoreSchema),
  },
  { additionalProperties: false, default: {} },
)

export type StoresConfig = Static<typeof StoresSchema>
export type RedisStoreConfig = NonNullable<StoresConfig['redis']>
