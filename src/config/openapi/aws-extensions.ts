/**
 * API Gateway's extensions to OpenAPI, as AWS documents them, with what forcegate does with
 * each: `supported` (served as AWS does), `ignored` (accepted; it changes nothing a local
 * gateway does, such as tags or endpoint types), `unsupported` (a start-up error saying it is
 * not supported yet, because ignoring it would change what the API answers or who may call it).
 * Anything else named `x-amazon-apigateway-*` is not an extension AWS knows: a typo.
 */
export type Support = 'supported' | 'ignored' | 'unsupported'

export interface FieldSpec {
  readonly support: Support
  /** The value is an object with these fields. */
  readonly fields?: Fields
  /** The value is a map (names chosen by the document) whose values have these fields. */
  readonly entries?: Fields
  /** Values that are not supported yet although AWS accepts them (compared case-insensitively). */
  readonly unsupportedValues?: readonly string[]
}

export type Fields = Readonly<Record<string, FieldSpec>>

export interface ExtensionSpec extends FieldSpec {
  readonly name: string
  /** Which kind of API AWS accepts it on. */
  readonly apis: 'rest' | 'http' | 'both'
  /** Where it is written, for the documentation. */
  readonly where: string
  /** What forcegate does with it, for the documentation. */
  readonly note: string
}

const S: FieldSpec = { support: 'supported' }
const I: FieldSpec = { support: 'ignored' }
const U: FieldSpec = { support: 'unsupported' }

const INTEGRATION_RESPONSE: Fields = {
  statusCode: S,
  responseParameters: S,
  responseTemplates: S,
  contentHandling: S,
}

const INTEGRATION: Fields = {
  type: { support: 'supported' },
  uri: S,
  httpMethod: S,
  timeoutInMillis: S,
  payloadFormatVersion: S,
  requestParameters: S,
  requestTemplates: S,
  passthroughBehavior: S,
  contentHandling: S,
  responses: { support: 'supported', entries: INTEGRATION_RESPONSE },
  // HTTP APIs' response parameter mapping (by status code): ignoring it would change responses.
  responseParameters: U,
  cacheKeyParameters: I,
  cacheNamespace: I,
  credentials: I,
  tlsConfig: { support: 'ignored', fields: { insecureSkipVerification: I, serverNameToVerify: I } },
  connectionType: { support: 'supported', unsupportedValues: ['VPC_LINK'] },
  connectionId: U,
  integrationSubtype: U,
  integrationTarget: U,
  responseTransferMode: { support: 'supported', unsupportedValues: ['STREAM'] },
}

const AUTHORIZER: Fields = {
  type: { support: 'supported', unsupportedValues: ['cognito_user_pools'] },
  authorizerUri: S,
  authorizerCredentials: I,
  authorizerPayloadFormatVersion: S,
  authorizerResultTtlInSeconds: S,
  enableSimpleResponses: S,
  identitySource: S,
  identityValidationExpression: S,
  jwtConfiguration: { support: 'supported', fields: { issuer: S, audience: S } },
  providerARNs: U,
}

export const AWS_EXTENSIONS: readonly ExtensionSpec[] = [
  {
    name: 'x-amazon-apigateway-any-method',
    apis: 'both',
    where: 'path item',
    note: 'an ANY route; explicit methods win over it',
    support: 'supported',
  },
  {
    name: 'x-amazon-apigateway-integration',
    apis: 'both',
    where: 'operation',
    note: 'aws_proxy, http_proxy; aws, http and mock with mapping templates (REST APIs). VPC links, AWS service integrations and response streaming are not supported yet',
    support: 'supported',
    fields: INTEGRATION,
  },
  {
    name: 'x-amazon-apigateway-integrations',
    apis: 'both',
    where: 'components',
    note: 'shared integrations, referred to with $ref',
    support: 'supported',
    entries: INTEGRATION,
  },
  {
    name: 'x-amazon-apigateway-authorizer',
    apis: 'both',
    where: 'security scheme',
    note: 'Lambda TOKEN and REQUEST authorizers (with IAM policies or simple responses), JWT authorizers (HTTP APIs); Cognito is not supported yet',
    support: 'supported',
    fields: AUTHORIZER,
  },
  {
    name: 'x-amazon-apigateway-authtype',
    apis: 'rest',
    where: 'security scheme',
    note: 'read; awsSigv4 (IAM) is refused as not supported yet',
    support: 'supported',
  },
  {
    name: 'x-amazon-apigateway-auth',
    apis: 'http',
    where: 'operation',
    note: 'type NONE is accepted; AWS_IAM is not supported yet',
    support: 'supported',
    fields: { type: { support: 'supported', unsupportedValues: ['AWS_IAM'] } },
  },
  {
    name: 'x-amazon-apigateway-cors',
    apis: 'http',
    where: 'top level',
    note: 'preflights answered by the gateway, CORS headers on responses',
    support: 'supported',
    fields: {
      allowOrigins: S,
      allowMethods: S,
      allowHeaders: S,
      exposeHeaders: S,
      maxAge: S,
      allowCredentials: S,
    },
  },
  {
    name: 'x-amazon-apigateway-binary-media-types',
    apis: 'rest',
    where: 'top level',
    note: 'bodies of these types reach functions base64-encoded',
    support: 'supported',
  },
  {
    name: 'x-amazon-apigateway-gateway-responses',
    apis: 'rest',
    where: 'top level',
    note: "status, headers and templates of the gateway's own answers",
    support: 'supported',
    entries: { statusCode: S, responseParameters: S, responseTemplates: S },
  },
  {
    name: 'x-amazon-apigateway-request-validators',
    apis: 'rest',
    where: 'top level',
    note: 'named validators',
    support: 'supported',
    entries: { validateRequestBody: S, validateRequestParameters: S },
  },
  {
    name: 'x-amazon-apigateway-request-validator',
    apis: 'rest',
    where: 'top level, operation',
    note: 'required parameters and body models (JSON Schema draft 4) checked before the integration',
    support: 'supported',
  },
  {
    name: 'x-amazon-apigateway-importexport-version',
    apis: 'http',
    where: 'top level',
    note: 'marks the document as an HTTP API',
    support: 'supported',
  },
  {
    name: 'x-amazon-apigateway-api-key-source',
    apis: 'rest',
    where: 'top level',
    note: 'accepted, no effect: partners are metered by contracts and usage plans',
    support: 'ignored',
  },
  {
    name: 'x-amazon-apigateway-documentation',
    apis: 'rest',
    where: 'top level',
    note: 'accepted, no effect',
    support: 'ignored',
    fields: { version: I, createdDate: I, documentationParts: I },
  },
  {
    name: 'x-amazon-apigateway-endpoint-configuration',
    apis: 'both',
    where: 'top level, servers',
    note: 'accepted, no effect',
    support: 'ignored',
    fields: { disableExecuteApiEndpoint: I, vpcEndpointIds: I, ipAddressType: I },
  },
  {
    name: 'x-amazon-apigateway-endpoint-access-mode',
    apis: 'rest',
    where: 'top level',
    note: 'accepted, no effect',
    support: 'ignored',
  },
  {
    name: 'x-amazon-apigateway-minimum-compression-size',
    apis: 'rest',
    where: 'top level',
    note: 'accepted, no effect: responses are not compressed',
    support: 'ignored',
  },
  {
    name: 'x-amazon-apigateway-tag-value',
    apis: 'http',
    where: 'tags',
    note: 'accepted, no effect',
    support: 'ignored',
  },
  {
    name: 'x-amazon-apigateway-policy',
    apis: 'rest',
    where: 'top level',
    note: 'not supported yet (a start-up error: ignoring a resource policy would let through callers it denies)',
    support: 'unsupported',
  },
]

export const AWS_EXTENSION_NAMES: ReadonlySet<string> = new Set(AWS_EXTENSIONS.map((e) => e.name))

export function awsExtension(name: string): ExtensionSpec | undefined {
  return AWS_EXTENSIONS.find((e) => e.name === name)
}
