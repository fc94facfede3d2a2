import { type ErrorSpec, errorSpec, type GatewayErrorCode } from '../errors/codes.ts'
import type { BodyEncoding } from '../events/event-body.ts'
import {
  type AuthorizedIdentity,
  httpV1AuthorizerContext,
  httpV2AuthorizerContext,
  restAuthorizerContext,
} from './authorizer-context.ts'

export type PayloadFormat = '1.0' | '2.0'

/** Which REQUEST authorizer event a Lambda authorizer receives. */
export type AuthorizerRequestEvent = 'rest-1.0' | 'http-1.0' | 'http-2.0'

/** How a Lambda authorizer's `context` is accepted: REST stringifies scalars, HTTP APIs keep JSON. */
export type AuthorizerContextValues = 'scalars-as-strings' | 'json'

/** The answer when an integration returned a header HTTP cannot carry (CR, LF, NUL). */
export interface InvalidHeaderAnswer {
  readonly status: number
  readonly body: string
}

/**
 * Everything REST APIs and HTTP APIs accept and answer differently, decided once per API
 * document: configuration reading, authorizers and the pipeline ask the dialect instead of
 * branching on the API's kind. Pure data and pure functions.
 */
export interface ApiDialect {
  /** `REST API` or `HTTP API`, for the start-up banner. */
  readonly label: string
  /** The stage name when forcegate.yaml names none. */
  readonly defaultStage: string
  /** `method.request.header.X` (REST) or `$request.header.X` (HTTP API); also how repeated values are read. */
  readonly identitySyntax: 'rest' | 'http'
  /** Whether `isDefaultRoute` makes an operation the `$default` route. */
  readonly defaultRoute: boolean
  /** Whether `x-amazon-apigateway-cors` exists (HTTP APIs; REST APIs answer preflights with an OPTIONS method). */
  readonly corsExtension: boolean

  /** Integrations: the timeout ceiling, payload formats, and whether non-proxy (mapped) integrations exist. */
  readonly maxIntegrationTimeoutMs: number
  readonly defaultPayloadFormat: PayloadFormat
  readonly payloadFormats: readonly PayloadFormat[]
  /** The message when an integration names a payload format this kind of API does not speak. */
  readonly payloadFormatExpected: string
  readonly mappedIntegrations: boolean

  /** Authorizers: defaults and what may be combined. */
  readonly defaultAuthorizerTtlSeconds: number
  readonly defaultAuthorizerPayloadFormat: PayloadFormat
  readonly jwtAuthorizers: boolean
  readonly lambdaAuthorizerTypes: readonly ('token' | 'request')[]
  readonly lambdaAuthorizerTypesExpected: string
  readonly authorizerPayloadFormats: readonly PayloadFormat[]
  readonly authorizerPayloadFormatsExpected: string
  /** The payload format simple responses need, or undefined when this kind of API has none. */
  readonly simpleResponsesPayload: PayloadFormat | undefined
  readonly authorizerContextValues: AuthorizerContextValues
  authorizerRequestEvent(payload: PayloadFormat): AuthorizerRequestEvent

  /** A code's status, response type and message as this kind of API answers it. */
  errorSpec(code: GatewayErrorCode): ErrorSpec
  readonly invalidHeader: InvalidHeaderAnswer
  /** `requestContext.authorizer` of a Lambda authorizer's result, by the integration's payload format. */
  lambdaAuthorizerContext(
    payload: PayloadFormat | undefined,
  ): (identity: AuthorizedIdentity) => Record<string, unknown>
  /** Where a JWT authorizer's or a gateway-enforced identity's context sits for the integration. */
  identityContext(
    source: 'jwt' | 'lambda',
    payload: PayloadFormat | undefined,
  ): (context: Readonly<Record<string, unknown>>) => Record<string, unknown>
  /** How proxy events encode request bodies. */
  bodyEncoding(binaryMediaTypes: readonly string[]): BodyEncoding
}

const flat = (context: Readonly<Record<string, unknown>>): Record<string, unknown> => ({ ...context })
const underJwt = (context: Readonly<Record<string, unknown>>): Record<string, unknown> => ({ jwt: context })
const underLambda = (context: Readonly<Record<string, unknown>>): Record<string, unknown> => ({
  lambda: { ...context },
})

/** REST answers with each code's spec as written. */
export const REST_API: ApiDialect = Object.freeze({
  label: 'REST API',
  defaultStage: 'dev',
  identitySyntax: 'rest',
  defaultRoute: false,
  corsExtension: false,
  maxIntegrationTimeoutMs: 29_000,
  defaultPayloadFormat: '1.0',
  payloadFormats: Object.freeze(['1.0'] as const),
  payloadFormatExpected: 'expected 1.0 (REST APIs use payload 1.0)',
  mappedIntegrations: true,
  defaultAuthorizerTtlSeconds: 300,
  defaultAuthorizerPayloadFormat: '1.0',
  jwtAuthorizers: false,
  lambdaAuthorizerTypes: Object.freeze(['token', 'request'] as const),
  lambdaAuthorizerTypesExpected: 'a TOKEN or REQUEST Lambda authorizer',
  authorizerPayloadFormats: Object.freeze(['1.0'] as const),
  authorizerPayloadFormatsExpected: "'1.0' for REST APIs",
  simpleResponsesPayload: undefined,
  authorizerContextValues: 'scalars-as-strings',
  authorizerRequestEvent: (): AuthorizerRequestEvent => 'rest-1.0',
  errorSpec,
  invalidHeader: Object.freeze({ status: 502, body: '{"message":"Internal server error"}' }),
  lambdaAuthorizerContext: () => restAuthorizerContext,
  identityContext: () => flat,
  bodyEncoding: (binaryMediaTypes: readonly string[]): BodyEncoding => ({ kind: 'rest', binaryMediaTypes }),
})

const HTTP_SPECS = new Map<GatewayErrorCode, ErrorSpec>()

/** HTTP APIs answer with a code's `httpApi` variant where there is one. */
export const HTTP_API: ApiDialect = Object.freeze({
  label: 'HTTP API',
  defaultStage: '$default',
  identitySyntax: 'http',
  defaultRoute: true,
  corsExtension: true,
  maxIntegrationTimeoutMs: 30_000,
  defaultPayloadFormat: '2.0',
  payloadFormats: Object.freeze(['1.0', '2.0'] as const),
  payloadFormatExpected: 'expected 1.0 or 2.0',
  mappedIntegrations: false,
  // HTTP API results are not cached unless asked [inferred].
  defaultAuthorizerTtlSeconds: 0,
  defaultAuthorizerPayloadFormat: '2.0',
  jwtAuthorizers: true,
  lambdaAuthorizerTypes: Object.freeze(['request'] as const),
  lambdaAuthorizerTypesExpected: 'HTTP APIs support only REQUEST Lambda authorizers',
  authorizerPayloadFormats: Object.freeze(['1.0', '2.0'] as const),
  authorizerPayloadFormatsExpected: "'1.0' or '2.0'",
  simpleResponsesPayload: '2.0',
  authorizerContextValues: 'json',
  authorizerRequestEvent: (payload: PayloadFormat): AuthorizerRequestEvent =>
    payload === '2.0' ? 'http-2.0' : 'http-1.0',
  errorSpec(code: GatewayErrorCode): ErrorSpec {
    let spec: ErrorSpec | undefined = HTTP_SPECS.get(code)
    if (spec === undefined) {
      const rest = errorSpec(code)
      spec =
        rest.httpApi === undefined
          ? rest
          : rest.closesConnection === undefined
            ? rest.httpApi
            : { ...rest.httpApi, closesConnection: rest.closesConnection }
      HTTP_SPECS.set(code, spec)
    }
    return spec
  },
  invalidHeader: Object.freeze({ status: 500, body: '{"message":"Internal Server Error"}' }),
  lambdaAuthorizerContext: (payload: PayloadFormat | undefined) =>
    payload === '2.0' ? httpV2AuthorizerContext : httpV1AuthorizerContext,
  // Payload 2.0 nests the context under the authorizer's type; 1.0 carries it flat.
  identityContext: (source: 'jwt' | 'lambda', payload: PayloadFormat | undefined) =>
    payload !== '2.0' ? flat : source === 'jwt' ? underJwt : underLambda,
  bodyEncoding: (): BodyEncoding => ({ kind: 'http' }),
})

/**
 * The dialect of an OpenAPI document: an HTTP API when it carries
 * `x-amazon-apigateway-importexport-version` (as API Gateway's HTTP API exports do), else REST.
 * The one place the kind of API is decided.
 */
export function dialectOfDocument(root: Readonly<Record<string, unknown>>): ApiDialect {
  return root['x-amazon-apigateway-importexport-version'] === undefined ? REST_API : HTTP_API
}
