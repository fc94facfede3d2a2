import { Type } from '@sinclair/typebox'
import { SecretRefSchema } from './secret-ref.ts'

/** The `portal` section: browser login with Salesforce and the developer portal at /portal. */
export const PortalSchema = Type.Object(
  {
    publicOrigin: Type.String({
      pattern: '^https?://[^/]+$',
      description: 'The origin browsers use (https, or http on loopback); never taken from Host.',
    }),
    org: Type.String({ description: 'Name of the org under salesforce.orgs that users sign in at.' }),
    client: Type.Object(
      {
        clientId: Type.String({ minLength: 1 }),
        clientSecret: SecretRefSchema,
      },
      {
        additionalProperties: false,
        description: "The portal's connected app; {publicOrigin}/portal/callback must be registered.",
      },
    ),
    sessions: Type.Object(
      {
        path: Type.String({
          minLength: 1,
          default: '.forcegate/sessions.db',
          description: 'SQLite file, relative to this file.',
        }),
        sessionSeconds: Type.Integer({ minimum: 60, maximum: 2_592_000, default: 28_800 }),
        idleSeconds: Type.Integer({ minimum: 60, maximum: 2_592_000, default: 3600 }),
      },
      { additionalProperties: false, default: {} },
    ),
    admins: Type.Array(Type.String(), {
      default: [],
      description: 'Salesforce usernames that approve contracts and suspend partners.',
    }),
    opportunities: Type.Object(
      {
        enabled: Type.Boolean({
          default: false,
          description:
            "The Opportunities page: the signed-in user's deals (queried with their own token, so the org's sharing decides) and contract files attached to them as the user.",
        }),
        maxBytes: Type.Integer({
          minimum: 1,
          maximum: 2_147_483_648,
          default: 8_388_608,
          description: 'Largest contract file (413 above), counted as it streams to the org.',
        }),
        contentTypes: Type.Array(Type.String({ pattern: '^[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+$' }), {
          minItems: 1,
          default: [
            'application/pdf',
            'application/octet-stream',
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
            'text/plain',
          ],
          description: 'File types accepted (415 otherwise), lower case.',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    apis: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          title: Type.String(),
          scopes: Type.Array(Type.String(), { default: [] }),
          tryPath: Type.Optional(Type.String({ pattern: '^/' })),
          plan: Type.Optional(
            Type.String({
              pattern: '^[A-Za-z0-9._-]{1,64}$',
              description:
                'Usage plan (partners.usagePlans) self-registered contracts start active with; without one they wait, pending, until an administrator approves them and picks a plan.',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      {
        default: [],
        description:
          'The only APIs partners may register contracts for themselves (the registration form and "try it"); their scopes bound what a contract may hold.',
      },
    ),
  },
  { additionalProperties: false },
)
