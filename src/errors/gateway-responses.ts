import type { GatewayResponseType } from './codes.ts'

/** A compiled `x-amazon-apigateway-gateway-responses` entry. */
export interface GatewayResponseOverride {
  readonly statusCode: number | undefined
  /** Header name → source expression (`'static'`, `method.request.header.X`, `context.X`, …). */
  readonly headers: readonly (readonly [string, string])[]
  /** Content type → template (simple `$context.*` / `$stageVariables.*` substitution, not VTL). */
  readonly templates: readonly (readonly [string, string])[]
}

export type GatewayResponses = ReadonlyMap<GatewayResponseType, GatewayResponseOverride>
