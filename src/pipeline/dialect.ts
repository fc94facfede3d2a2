import {
  type AuthorizedIdentity,
  httpV1AuthorizerContext,
  httpV2AuthorizerContext,
  restAuthorizerContext,
} from '../auth/lambda-authorizer/integration-context.ts'
import { type ErrorSpec, errorSpec, type GatewayErrorCode } from '../errors/codes.ts'
import type { BodyEncoding } from '../events/event-body.ts'

export type ApiKind = 'rest' | 'http'
type PayloadFormat = '1.0' | '2.0'

/** The answer when an integration returned a header HTTP cannot carry (CR, LF, NUL). */
export interface InvalidHeaderAnswer {
  readonly status: number
  readonly body: string
}

/**
 * Everything REST APIs and HTTP APIs answer differently, decided once per API: the rest of the
 * gateway asks the dialect instead of branching on the API's kind.
 */
export interface Dialect {
  readonly kind: ApiKind
  /** `REST API` or `HTTP API`, for the start-up banner. */
  readonly label: string
  /** The stage name when forcegate.yaml names none. */
  readonly defaultStage: string
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

const REST_INVALID_HEADER: InvalidHeaderAnswer = { status: 502, body: '{"message":"Internal server error"}' }
const HTTP_INVALID_HEADER: InvalidHeaderAnswer = { status: 500, body: '{"message":"Internal Server Error"}' }

const flat = (context: Readonly<Record<string, unknown>>): Record<string, unknown> => ({ ...context })

/** REST answers with each code's spec as written; HTTP APIs with its `httpApi` variant where there is one. */
const REST: Dialect = Object.freeze({
  kind: 'rest',
  label: 'REST API',
  defaultStage: 'dev',
  errorSpec,
  invalidHeader: REST_INVALID_HEADER,
  lambdaAuthorizerContext: () => restAuthorizerContext,
  identityContext: () => flat,
  bodyEncoding: (binaryMediaTypes: readonly string[]): BodyEncoding => ({ kind: 'rest', binaryMediaTypes }),
})

const HTTP_SPECS = new Map<GatewayErrorCode, ErrorSpec>()

const HTTP: Dialect = Object.freeze({
  kind: 'http',
  label: 'HTTP API',
  defaultStage: '$default',
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
  invalidHeader: HTTP_INVALID_HEADER,
  lambdaAuthorizerContext: (payload: PayloadFormat | undefined) =>
    payload === '2.0' ? httpV2AuthorizerContext : httpV1AuthorizerContext,
  // Payload 2.0 nests the context under the authorizer's type; 1.0 carries it flat.
  identityContext: (source: 'jwt' | 'lambda', payload: PayloadFormat | undefined) =>
    payload !== '2.0'
      ? flat
      : source === 'jwt'
        ? (context: Readonly<Record<string, unknown>>) => ({ jwt: context })
        : (context: Readonly<Record<string, unknown>>) => ({ lambda: { ...context } }),
  bodyEncoding: (): BodyEncoding => ({ kind: 'http' }),
})

/** The dialect of an API document's kind: the one place the kind is looked at. */
export function compileDialect(kind: ApiKind): Dialect {
  switch (kind) {
    case 'rest':
      return REST
    case 'http':
      return HTTP
  }
}
