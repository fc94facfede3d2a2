import { Type } from '@sinclair/typebox'
import { SecretRefSchema } from './secret-ref.ts'

/**
 * The org's integration user, for routes and commands that write to Salesforce as the
 * gateway (server to server) rather than as the caller. Salesforce's token answers carry no
 * `expires_in`, so the token is re-minted after `refreshAfterSeconds` (keep it below the
 * org's session timeout) and once more when the org calls it expired.
 */
export const IntegrationUserSchema = Type.Object(
  {
    grant: Type.Union([Type.Literal('client_credentials'), Type.Literal('jwt_bearer')]),
    clientId: Type.String({ minLength: 1, description: 'Client id of the connected app.' }),
    clientSecret: Type.Optional(SecretRefSchema),
    username: Type.Optional(
      Type.String({ minLength: 1, description: 'JWT bearer: the integration user the assertion names.' }),
    ),
    privateKey: Type.Optional(SecretRefSchema),
    audience: Type.Optional(
      Type.String({ description: "JWT bearer: the assertion's aud (default: the issuer)." }),
    ),
    refreshAfterSeconds: Type.Integer({ minimum: 60, maximum: 86_400, default: 900 }),
  },
  { additionalProperties: false },
)
