import type { ConfigError } from '../../errors/config-error.ts'
import type { ApiDefinition } from '../openapi/api-definition.ts'
import type { SourceDocument } from '../source-document.ts'

/**
 * A Lambda function whose code is a module of the project, named the way serverless.yml and
 * SAM templates name it: `path/file.export`, relative to the service (or CodeUri) folder.
 */
export interface FunctionSource {
  readonly name: string
  readonly arn: string
  /** Absolute path of the module without its extension (.ts, .mjs, .js, .cjs are tried). */
  readonly modulePath: string
  readonly exportName: string
  /** Environment variables the function is deployed with (provider's, then its own). */
  readonly environment: ReadonlyMap<string, string>
  readonly pointer: string
}

/** What a serverless.yml or a SAM template compiles to: the OpenAPI reader's input, and its code. */
export interface ApiSource {
  readonly api: ApiDefinition
  readonly doc: SourceDocument
  readonly functions: readonly FunctionSource[]
  /** What is not honoured but does not change what the API answers (plugins, other events). */
  readonly notices: readonly ConfigError[]
  /** The stage the API is deployed to, when the file names one. */
  readonly stage?: string | undefined
}

/**
 * As Lambda's Node.js runtime reads a handler: the module is the last path segment up to its
 * first dot, the rest a property path into its exports (`handler.api.get` is `api.get`).
 */
const HANDLER = /^((?:.*\/)?[^./]+)\.([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)$/

/** `src/users.handler` → module `src/users`, export `handler`; undefined when not that shape. */
export function splitHandler(handler: string): { module: string; exportName: string } | undefined {
  const match = HANDLER.exec(handler)
  if (match === null) return undefined
  return { module: match[1]!, exportName: match[2]! }
}

/** The ARN AWS gives a function of this account-less local deployment. */
export function localFunctionArn(region: string, name: string): string {
  return `arn:aws:lambda:${region}:000000000000:function:${name}`
}

/** API Gateway's invoke URI for a function ARN, as authorizer schemes write it. */
export function invokeUri(region: string, functionArn: string): string {
  return `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`
}
