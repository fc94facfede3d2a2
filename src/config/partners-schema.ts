import { Type } from '@sinclair/typebox'
import { SecretRefSchema } from './secret-ref.ts'

const UsagePlanSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' }),
    throttle: Type.Optional(
      Type.Object(
        {
          rateLimit: Type.Number({ exclusiveMinimum: 0, description: 'Steady requests per second.' }),
          burstLimit: Type.Integer({ minimum: 1, description: 'Bucket size: requests allowed at once.' }),
        },
        { additionalProperties: false },
      ),
    ),
    quota: Type.Optional(
      Type.Object(
        {
          limit: Type.Integer({ minimum: 1 }),
          period: Type.Union([Type.Literal('DAY'), Type.Literal('WEEK'), Type.Literal('MONTH')]),
          offset: Type.Optional(Type.Integer({ minimum: 0 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)

/** The `partners` section: dynamic client registration at the org, the store, usage plans, admin API. */
export const PartnersSchema = Type.Object(
  {
    org: Type.Object(
      {
        url: Type.String({
          pattern: '^https?://',
          description: "The org's My Domain URL (its /services/oauth2/register).",
        }),
        initialAccessToken: { ...SecretRefSchema, default: { env: 'FORCEGATE_INITIAL_ACCESS_TOKEN' } },
        timeoutMs: Type.Integer({ minimum: 100, maximum: 60_000, default: 10_000 }),
      },
      { additionalProperties: false },
    ),
    store: Type.Object(
      {
        kind: Type.Literal('sqlite', { default: 'sqlite' }),
        path: Type.String({ minLength: 1, default: '.forcegate/partners.db' }),
      },
      { additionalProperties: false, default: {} },
    ),
    encryption: Type.Object(
      {
        key: { ...SecretRefSchema, default: { env: 'FORCEGATE_ENCRYPTION_KEY' } },
        previousKeys: Type.Array(SecretRefSchema, { default: [] }),
      },
      { additionalProperties: false, default: {} },
    ),
    registration: Type.Object(
      {
        defaultScopes: Type.Array(Type.String(), { default: [] }),
        contractApproval: Type.Union([Type.Literal('auto'), Type.Literal('manual')], { default: 'auto' }),
        maxRedirectUris: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
        maxRedirectUriLength: Type.Integer({ minimum: 20, maximum: 8192, default: 2000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    usagePlans: Type.Array(UsagePlanSchema, { default: [] }),
    contractCacheTtlSeconds: Type.Integer({ minimum: 0, maximum: 3600, default: 30 }),
    contractCacheMaxEntries: Type.Integer({ minimum: 1, default: 10_000 }),
    limiterMaxKeys: Type.Integer({ minimum: 1, default: 100_000 }),
    admin: Type.Object(
      {
        token: Type.Optional(SecretRefSchema),
        maxBodyBytes: Type.Integer({ minimum: 1024, maximum: 10_485_760, default: 65_536 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
)
