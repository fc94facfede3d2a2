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

/**
 * Shared stores for running several gateway instances. Absent, each instance keeps its own
 * usage counters in memory (the embedded default).
 */
export const StoresSchema = Type.Object(
  {
    redis: Type.Optional(RedisStoreSchema),
  },
  { additionalProperties: false, default: {} },
)

export type StoresConfig = Static<typeof StoresSchema>
export type RedisStoreConfig = NonNullable<StoresConfig['redis']>
