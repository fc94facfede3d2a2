import { type Static, Type } from '@sinclair/typebox'
import { IntegrationUserSchema } from './integration-user-schema.ts'
import { SecretRefSchema } from './secret-ref.ts'

/** A Salesforce org the gateway trusts, named so API documents can refer to it. */
export const SalesforceOrgSchema = Type.Object(
  {
    issuer: Type.String({
      pattern: '^https?://',
      description: "The org's My Domain (or login) URL; http:// only for loopback orgs such as the dev org.",
    }),
    orgId: Type.Optional(
      Type.String({
        pattern: '^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$',
        description: 'Expected org id: opaque tokens of another org are refused before any network call.',
      }),
    ),
    introspection: Type.Object(
      {
        clientId: Type.String({
          minLength: 1,
          description: 'Client id of the connected app the gateway introspects with.',
        }),
        clientSecret: SecretRefSchema,
      },
      { additionalProperties: false },
    ),
    timeoutMs: Type.Integer({ minimum: 50, maximum: 30_000, default: 3000 }),
    integrationUser: Type.Optional(IntegrationUserSchema),
  },
  { additionalProperties: false },
)

export const SalesforceSchema = Type.Object(
  {
    orgs: Type.Record(Type.String({ pattern: '^[A-Za-z0-9_-]+$' }), SalesforceOrgSchema, {
      default: {},
      additionalProperties: false,
    }),
  },
  { additionalProperties: false, default: {} },
)

export type SalesforceOrgConfig = Static<typeof SalesforceOrgSchema>
