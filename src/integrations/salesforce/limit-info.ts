/** `Sforce-Limit-Info: api-usage=<used>/<max>`, the org's rolling 24-hour API usage. */
export interface ApiUsage {
  readonly used: number
  readonly max: number
}

export function parseLimitInfo(value: string | undefined): ApiUsage | undefined {
  const match = /api-usage=(\d+)\/(\d+)/.exec(value ?? '')
  if (match === null) return undefined
  return { used: Number(match[1]), max: Number(match[2]) }
}

/** The daily allowance is spent: waiting seconds will not bring it back, so retrying only burns calls. */
export function allowanceSpent(usage: ApiUsage | undefined): boolean {
  return usage !== undefined && usage.max > 0 && usage.used >= usage.max
}
