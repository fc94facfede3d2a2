import type { AuthorizerContextValues } from '../../dialect/api-dialect.ts'
import { type CompiledPolicy, compilePolicy } from '../policy/compile-policy.ts'

/**
 * An authorizer's output once validated: what the result cache keeps. Policies are compiled
 * here, once, so that every later request only evaluates them.
 */
export type AuthorizerOutput =
  | {
      readonly kind: 'policy'
      readonly principalId: string
      readonly policy: CompiledPolicy
      /** REST: values stringified; HTTP API: kept as returned. */
      readonly context: Readonly<Record<string, unknown>>
      readonly usageIdentifierKey?: string
    }
  | {
      readonly kind: 'simple'
      readonly isAuthorized: boolean
      readonly context: Readonly<Record<string, unknown>>
    }

export type OutputParseResult =
  | { readonly ok: true; readonly output: AuthorizerOutput }
  | { readonly ok: false; readonly reason: string; readonly detail: string }

/** What the API's dialect and the authorizer's (validated) settings accept back. */
export interface OutputFormat {
  readonly contextValues: AuthorizerContextValues
  /** Only ever true where the dialect allows simple responses for the authorizer's payload format. */
  readonly simpleResponses: boolean
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const EMPTY: Readonly<Record<string, never>> = Object.freeze({})

const fail = (reason: string, detail: string): OutputParseResult => ({ ok: false, reason, detail })

/**
 * REST context: flat, scalar values only, delivered as strings (`1` → `"1"`). Objects and
 * arrays make API Gateway answer 500. `null` stays `null`, as the community typings of the
 * proxy event record [inferred].
 */
function restContext(untrusted: unknown): Record<string, string | null> | string {
  if (untrusted === undefined || untrusted === null) return EMPTY
  if (!isRecord(untrusted)) return 'context must be an object'
  const out: Record<string, string | null> = {}
  for (const [key, value] of Object.entries(untrusted)) {
    if (value === null) out[key] = null
    else if (typeof value === 'string') out[key] = value
    else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean')
      out[key] = String(value)
    else return `context.${key} must be a string, number or boolean`
  }
  // The parsed output is cached and shared by every request with the same identity.
  return Object.freeze(out)
}

/** HTTP API context: any JSON object, passed on unchanged; `claims` is reserved for JWT authorizers. */
function httpContext(untrusted: unknown): Record<string, unknown> | string {
  if (untrusted === undefined || untrusted === null) return EMPTY
  if (!isRecord(untrusted)) return 'context must be an object'
  if (Object.hasOwn(untrusted, 'claims')) return 'context.claims is reserved'
  return Object.freeze({ ...untrusted })
}

const CONTEXT_READERS: Readonly<
  Record<AuthorizerContextValues, (untrusted: unknown) => Record<string, unknown> | string>
> = {
  'scalars-as-strings': restContext,
  json: httpContext,
}

function looksLikeHttpResponse(untrusted: Record<string, unknown>): boolean {
  return 'statusCode' in untrusted && !('policyDocument' in untrusted) && !('isAuthorized' in untrusted)
}

function parsePolicyOutput(untrusted: Record<string, unknown>, format: OutputFormat): OutputParseResult {
  const { principalId, policyDocument, context, usageIdentifierKey } = untrusted
  if (typeof principalId !== 'string') return fail('output.principal_id', 'principalId must be a string')
  if (policyDocument === undefined) return fail('output.policy_missing', 'policyDocument is missing')
  const compiled = compilePolicy(policyDocument)
  if (!compiled.ok) return fail(compiled.reason, compiled.detail)
  const ctx = CONTEXT_READERS[format.contextValues](context)
  if (typeof ctx === 'string') return fail('output.context', ctx)
  if (usageIdentifierKey !== undefined && typeof usageIdentifierKey !== 'string') {
    return fail('output.usage_identifier_key', 'usageIdentifierKey must be a string')
  }
  return {
    ok: true,
    output:
      usageIdentifierKey === undefined
        ? { kind: 'policy', principalId, policy: compiled.policy, context: ctx }
        : { kind: 'policy', principalId, policy: compiled.policy, context: ctx, usageIdentifierKey },
  }
}

function parseSimpleOutput(untrusted: Record<string, unknown>): OutputParseResult {
  if (typeof untrusted.isAuthorized !== 'boolean')
    return fail('output.is_authorized', 'isAuthorized must be a boolean')
  const ctx = httpContext(untrusted.context)
  if (typeof ctx === 'string') return fail('output.context', ctx)
  return { ok: true, output: { kind: 'simple', isAuthorized: untrusted.isAuthorized, context: ctx } }
}

/**
 * Validates what an authorizer function returned. Any shape API Gateway would not accept
 * (missing principalId or policy, an HTTP-style `{statusCode, body}`, non-scalar REST
 * context, a non-boolean `isAuthorized`) is a failure the caller answers with a 500.
 */
export function parseAuthorizerOutput(untrusted: unknown, format: OutputFormat): OutputParseResult {
  if (!isRecord(untrusted)) return fail('output.not_object', 'the authorizer did not return an object')
  if (looksLikeHttpResponse(untrusted)) {
    return fail('output.http_response', 'the authorizer returned an HTTP response instead of a policy')
  }
  return format.simpleResponses ? parseSimpleOutput(untrusted) : parsePolicyOutput(untrusted, format)
}
