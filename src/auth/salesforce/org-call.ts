/**
 * One HTTP exchange with the org: a deadline, a body size cap and no redirects (a redirect
 * could carry the caller's token or the gateway's client secret to a host nobody named).
 * Transport failures surface as OrgCallError, which the enforcer turns into a 503; this
 * module never decides what an answer means.
 */

import { cappedExchange } from '../../lib/capped-exchange.ts'

export class OrgCallError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'OrgCallError'
  }
}

export interface OrgAnswer {
  readonly status: number
  readonly contentType: string
  readonly text: string
}

export interface OrgCallLimits {
  readonly timeoutMs: number
  readonly maxBytes: number
}

export const MAX_ORG_ANSWER_BYTES = 65_536

export function callOrg(
  fetchFn: typeof fetch,
  url: URL,
  init: { readonly method: 'GET' | 'POST'; readonly headers: Record<string, string>; readonly body?: string },
  limits: OrgCallLimits,
): Promise<OrgAnswer> {
  return cappedExchange(fetchFn, url, init, limits, (message, cause) => new OrgCallError(message, { cause }))
}

/** Strict JSON object, or undefined; duplicate names are harmless here (the org is trusted). */
export function jsonObject(text: string): Readonly<Record<string, unknown>> | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  return value as Record<string, unknown>
}
