import { type Static, Type } from '@sinclair/typebox'
import { SecretRefSchema } from './secret-ref.ts'

/** Salesforce keeps high-volume platform events and change events replayable this long. */
export const REPLAY_RETENTION_MS = 72 * 3_600_000

const Name = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })

/** A header value written in the file, or a secret read from the environment or a file. */
const HeaderValue = Type.Union([Type.String(), SecretRefSchema])

/** Where an org's Pub/Sub API listens and how its TLS certificate is trusted. */
export const RelayOrgSchema = Type.Object(
  {
    pubsub: Type.Object(
      {
        endpoint: Type.String({
          pattern: '^[A-Za-z0-9.-]+:\\d{1,5}$|^\\[[0-9a-fA-F:]+\\]:\\d{1,5}$',
          description: 'host:port of the Pub/Sub API (Salesforce: api.pubsub.salesforce.com:7443).',
        }),
        ca: Type.Optional(
          Type.Object(
            { file: Type.String({ minLength: 1 }) },
            {
              additionalProperties: false,
              description: 'PEM certificate(s) to trust instead of the system roots.',
            },
          ),
        ),
        insecure: Type.Optional(
          Type.Boolean({
            description: 'TLS without verifying the certificate; accepted for loopback endpoints only.',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    clientId: Type.Optional(
      Type.String({
        minLength: 1,
        description: "Connected app for the client credentials flow; default the org's introspection app.",
      }),
    ),
    clientSecret: Type.Optional(SecretRefSchema),
    jwtBearer: Type.Optional(
      Type.Object(
        {
          username: Type.String({ minLength: 1, description: 'The integration user the token is for.' }),
          privateKey: SecretRefSchema,
          audience: Type.Optional(
            Type.String({
              pattern: '^https?://',
              description:
                'The assertion audience (Salesforce: https://login.salesforce.com or https://test.salesforce.com); default the org issuer.',
            }),
          ),
        },
        {
          additionalProperties: false,
          description:
            "JWT bearer flow (RFC 7523) instead of client credentials: an assertion signed with the private key of the connected app's certificate.",
        },
      ),
    ),
  },
  { additionalProperties: false },
)

/** The `relay` section: the stores and the orgs' Pub/Sub endpoints shared by every subscription. */
export const RelaySchema = Type.Object(
  {
    store: Type.String({
      minLength: 1,
      default: '.forcegate/relay.db',
      description: 'SQLite file (checkpoints, delivered keys, dead letters), relative to this file.',
    }),
    gatewayUrl: Type.Optional(
      Type.String({
        pattern: '^http://(127\\.0\\.0\\.1|localhost|\\[::1\\]):\\d{1,5}$',
        description: '`forcegate relay` alone: the running gateway route targets are sent to (loopback).',
      }),
    ),
    dedupeWindowMs: Type.Integer({
      minimum: REPLAY_RETENTION_MS,
      maximum: 30 * 24 * 3_600_000,
      default: REPLAY_RETENTION_MS + 3_600_000,
      description: 'How long delivered EventUuids are remembered; never shorter than the replay retention.',
    }),
    orgs: Type.Record(Name, RelayOrgSchema, {
      default: {},
      additionalProperties: false,
      description: 'Per org under salesforce.orgs: its Pub/Sub endpoint and credentials.',
    }),
  },
  { additionalProperties: false, default: {} },
)

/** One subscription: an org's topic, where its events go, and what happens when they cannot. */
export const SubscriptionSchema = Type.Object(
  {
    name: Name,
    org: Type.String({ description: 'Name of the org under salesforce.orgs (and relay.orgs).' }),
    topic: Type.String({
      pattern: '^/(event|data)/[A-Za-z0-9_]+$',
      description: '/event/Name__e or /data/NameChangeEvent.',
    }),
    replay: Type.Union([Type.Literal('latest'), Type.Literal('earliest'), Type.Literal('custom')], {
      default: 'latest',
      description: 'Where a subscription without a checkpoint starts.',
    }),
    replayId: Type.Optional(
      Type.String({ pattern: '^[0-9a-fA-F]{2,128}$', description: 'Hex replay id for replay: custom.' }),
    ),
    target: Type.Object(
      {
        route: Type.Optional(
          Type.Object(
            {
              method: Type.String({ pattern: '^[A-Z]{3,7}$', default: 'POST' }),
              path: Type.String({ pattern: '^/' }),
              headers: Type.Record(Type.String({ pattern: '^[A-Za-z0-9-]+$' }), HeaderValue, {
                default: {},
                additionalProperties: false,
              }),
              authorization: Type.Optional(
                Type.Literal('org', {
                  description: "org: send the relay's own access token for the org as Authorization: Bearer.",
                }),
              ),
            },
            { additionalProperties: false },
          ),
        ),
        lambda: Type.Optional(
          Type.Object(
            { function: Type.String({ pattern: '^[A-Za-z0-9_:-]+$', description: 'Function name or ARN.' }) },
            { additionalProperties: false },
          ),
        ),
        timeoutMs: Type.Integer({ minimum: 100, maximum: 900_000, default: 30_000 }),
      },
      { additionalProperties: false, description: 'Exactly one of route or lambda.' },
    ),
    retry: Type.Object(
      {
        maxAttempts: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
        baseDelayMs: Type.Integer({ minimum: 1, maximum: 600_000, default: 200 }),
        maxDelayMs: Type.Integer({ minimum: 1, maximum: 3_600_000, default: 30_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    deadLetter: Type.Union([Type.Literal('store'), Type.Literal('stop')], {
      default: 'store',
      description: 'After the last attempt: keep the event in the dead-letter store and go on, or stop.',
    }),
    onLostReplay: Type.Union([Type.Literal('fail'), Type.Literal('earliest'), Type.Literal('latest')], {
      default: 'fail',
      description: 'When the org refuses the checkpoint (expired or corrupted replay id).',
    }),
    batchSize: Type.Integer({
      minimum: 1,
      maximum: 100,
      default: 100,
      description: 'Events requested at a time (FetchRequest.num_requested; Salesforce caps it at 100).',
    }),
  },
  { additionalProperties: false },
)

export const SubscriptionsSchema = Type.Array(SubscriptionSchema, {
  default: [],
  description: 'Platform and change events relayed to routes or Lambda functions.',
})

export type RelayConfig = Static<typeof RelaySchema>
export type RelayOrgConfig = Static<typeof RelayOrgSchema>
export type SubscriptionConfig = Static<typeof SubscriptionSchema>
