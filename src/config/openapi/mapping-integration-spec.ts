/**
 * The validated shape of a non-proxy integration (`aws`, `http`, `mock`) and of a method's
 * request validation, as read from the document. Plain data: templates are compiled, regular
 * expressions and mapping expressions checked, when the routes are compiled, so every problem
 * (the document's and the templates') is reported in one run.
 */

/** A string the document gives, with where it is: templates' errors name both. */
export interface LocatedText {
  readonly key: string
  readonly text: string
  readonly pointer: string
  /** Line of the value in the document, when known. */
  readonly line: number | undefined
}

export type ContentHandling = 'CONVERT_TO_TEXT' | 'CONVERT_TO_BINARY'

export interface IntegrationResponseSpec {
  /** The `responses` key: a selection pattern or `default`. */
  readonly pattern: string
  readonly pointer: string
  readonly line: number | undefined
  readonly statusCode: number
  /** `method.response.header.X` → source expression. */
  readonly parameters: readonly LocatedText[]
  /** Media type → template. */
  readonly templates: readonly LocatedText[]
  readonly contentHandling: ContentHandling | undefined
}

interface MappedIntegrationBase {
  readonly pointer: string
  readonly timeoutMs: number
  /** Media type → template. */
  readonly requestTemplates: readonly LocatedText[]
  readonly passthroughBehavior: 'WHEN_NO_MATCH' | 'WHEN_NO_TEMPLATES' | 'NEVER'
  /** `integration.request.{header|querystring|path}.X` → source expression. */
  readonly requestParameters: readonly LocatedText[]
  readonly contentHandling: ContentHandling | undefined
  readonly responses: readonly IntegrationResponseSpec[]
}

export interface AwsIntegrationSpec extends MappedIntegrationBase {
  readonly type: 'aws'
  readonly functionName: string
  readonly functionArn: string
}

export interface HttpIntegrationSpec extends MappedIntegrationBase {
  readonly type: 'http'
  readonly uri: string
  readonly httpMethod: string
}

export interface MockIntegrationSpec extends MappedIntegrationBase {
  readonly type: 'mock'
}

export type MappedIntegrationSpec = AwsIntegrationSpec | HttpIntegrationSpec | MockIntegrationSpec

/** A method's request validator, its required parameters and its body models. */
export interface RequestValidationSpec {
  readonly validator: string
  readonly pointer: string
  readonly validateRequestBody: boolean
  readonly validateRequestParameters: boolean
  readonly required: {
    readonly path: readonly string[]
    readonly querystring: readonly string[]
    readonly header: readonly string[]
  }
  /** Media type → JSON Schema (draft 4), `$ref`s pointing into `document`. */
  readonly models: readonly (readonly [string, unknown])[]
  readonly modelsPointer: string
  /** The whole document, which models' `$ref`s resolve against. */
  readonly document: unknown
}
