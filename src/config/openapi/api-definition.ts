import type { ApiDialect } from '../../dialect/api-dialect.ts'
import type { ConfigError } from '../../errors/config-error.ts'
import type { GatewayResponses } from '../../errors/gateway-responses.ts'
import type { MappedIntegrationSpec, RequestValidationSpec } from './mapping-integration-spec.ts'
import type { CorsSpec } from './read-cors.ts'
import type { SalesforceIntegrationSpec } from './read-salesforce-integration.ts'

/** What an OpenAPI document with API Gateway's extensions describes, validated, before compiling. */
export interface ApiDefinition {
  readonly file: string
  readonly title: string
  /** HTTP API when the document carries `x-amazon-apigateway-importexport-version`, else REST. */
  readonly dialect: ApiDialect
  readonly routes: readonly RouteSpec[]
  readonly gatewayResponses: GatewayResponses
  readonly binaryMediaTypes: readonly string[]
  /** HTTP APIs: `x-amazon-apigateway-cors`, when the document configures it. */
  readonly cors?: CorsSpec | undefined
  readonly securitySchemes: ReadonlyMap<string, SecuritySchemeSpec>
  /**
   * REST events of a serverless.yml: each route is also served under `/<stage>`, the URLs of
   * serverless-offline and of the execute-api domain (`requestContext.path` keeps the prefix).
   */
  readonly servedUnderStage?: boolean | undefined
  /** The API keys a route with `apiKeyRequired` accepts in `x-api-key` (serverless.yml, SAM). */
  readonly apiKeys?: readonly string[] | undefined
  /**
   * Every problem found in the document. They are handed on rather than thrown so that
   * compiling the routes adds its own and one run reports them all; a definition with
   * problems is never compiled into a route table.
   */
  readonly problems: readonly ConfigError[]
}

export interface RouteSpec {
  /** Upper-case verb, `ANY`, or `$default` for the HTTP API default route. */
  readonly method: string
  readonly resourcePath: string
  readonly pointer: string
  /** Undefined when the integration has problems (reported in `problems`). */
  readonly integration: IntegrationSpec | undefined
  /** Security requirements (OR of ANDs, as OpenAPI defines); `[]` means none. */
  readonly security: readonly (readonly { readonly scheme: string; readonly scopes: readonly string[] }[])[]
  readonly securityPointer: string
  /** REST: a request without a valid `x-api-key` (one of the API's `apiKeys`) is refused 403. */
  readonly apiKeyRequired?: boolean | undefined
  /** The method's request validator (`x-amazon-apigateway-request-validator`), when one applies. */
  readonly validation?: RequestValidationSpec | undefined
}

export type IntegrationSpec =
  | {
      readonly type: 'aws_proxy'
      readonly functionName: string
      readonly functionArn: string
      readonly payloadFormatVersion: '1.0' | '2.0'
      readonly timeoutMs: number
      readonly pointer: string
    }
  | {
      readonly type: 'http_proxy'
      readonly uri: string
      readonly httpMethod: string | undefined
      readonly timeoutMs: number
      readonly pointer: string
    }
  | MappedIntegrationSpec
  | SalesforceIntegrationSpec

/** A security scheme as written; authorizer-specific parsing happens when routes are compiled. */
export interface SecuritySchemeSpec {
  readonly name: string
  readonly pointer: string
  readonly raw: Readonly<Record<string, unknown>>
}
