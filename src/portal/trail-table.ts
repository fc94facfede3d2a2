import type { DecisionTrail } from './portal-deps.ts'

/** One readable row of the decision trail. */
export interface TrailRow {
  readonly step: string
  readonly decision: string
  readonly details: readonly (readonly [string, string])[]
}

export interface TrailTable {
  readonly rows: readonly TrailRow[]
  /** The last row: what happened, always with the status the client really got. */
  readonly result: { readonly status: number; readonly text: string }
}

/** The field of a step that says what it decided, when it has one. */
const DECISION_KEYS = ['decision', 'result', 'outcome', 'effect', 'cache', 'status', 'matched', 'match', 'ok']

/** A yes/no check reads as what it means for the request. */
function decisionOf(key: string, value: unknown): string {
  if (typeof value !== 'boolean') return show(value)
  if (key === 'matched' || key === 'match') return value ? 'matched' : 'no match'
  return value ? 'passed' : 'failed'
}

function show(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value) ?? String(value)
}

/**
 * The gateway's explanation of a request beside the answer the call really got. The
 * explanation runs the server's own stages but leaves integrations with effects uncalled, so
 * when it lets the request through, the answer is the integration's: the result row says that,
 * with the real status, instead of "would reach". When the two disagree on a refusal (a
 * contract approved, a quota used, a cached decision in between) the row says so.
 */
export function trailTable(trail: DecisionTrail, realStatus: number | undefined): TrailTable {
  const rows = trail.steps.map(({ step, detail }) => {
    const key = DECISION_KEYS.find((k) => detail[k] !== undefined)
    const details = Object.entries(detail)
      .filter(([k, v]) => k !== key && v !== undefined)
      .map(([k, v]) => [k, show(v)] as const)
    return { step, decision: key === undefined ? '' : decisionOf(key, detail[key]), details }
  })
  const allowed = trail.outcome.startsWith('allowed')
  const reached = /would reach (\S+)/.exec(trail.outcome)?.[1]
  if (realStatus === undefined)
    return {
      rows,
      result: { status: trail.status, text: `${trail.outcome} (the call itself got no answer)` },
    }
  let text: string
  if (allowed) text = `allowed by the gateway: ${reached ?? 'the integration'} answered ${realStatus}`
  else if (trail.status === realStatus)
    text = `${realStatus >= 500 ? 'failed in the gateway' : 'refused by the gateway'}: ${trail.outcome}`
  else
    text = `the explanation (${trail.status}: ${trail.outcome}) differs from the answer: something changed between the two (an approval, a quota, a cached decision)`
  return { rows, result: { status: realStatus, text } }
}
