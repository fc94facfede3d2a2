// Composite (`POST /composite`): up to 25 subrequests run in order, each able to use earlier
// results through `@{referenceId.path}`. The call answers 200 whatever its subrequests did;
// with `allOrNone` one failure rolls every write back and the rest report PROCESSING_HALTED.

import type { EventLog } from './platform-events.ts'
import type { RecordStore } from './record-store.ts'
import { errors, RestError, type RestErrorItem } from './rest-errors.ts'
import { allowMethods, jsonBody, jsonResponse, type RestRequest, type RestResponse } from './rest-exchange.ts'

export const MAX_SUBREQUESTS = 25

type Subrequest = {
  method: string
  url: string
  referenceId: string
  body?: unknown
  httpHeaders?: Record<string, string>
}
type SubResult = {
  body: unknown
  httpHeaders: Record<string, string>
  httpStatusCode: number
  referenceId: string
}

const HALTED: RestErrorItem[] = [
  {
    errorCode: 'PROCESSING_HALTED',
    message: 'The transaction was rolled back because another subrequest failed.',
  },
]

class RolledBack extends Error {}

function badRequest(message: string): RestError {
  return new RestError(400, [{ message, errorCode: 'INVALID_INPUT' }])
}

function readSubrequests(body: unknown): { allOrNone: boolean; subs: Subrequest[] } {
  const b = body as { allOrNone?: unknown; compositeRequest?: unknown } | null
  if (!b || !Array.isArray(b.compositeRequest))
    throw errors.jsonParser('Expected {"compositeRequest": [...]}')
  if (b.compositeRequest.length === 0 || b.compositeRequest.length > MAX_SUBREQUESTS) {
    throw badRequest(`A composite request holds 1 to ${MAX_SUBREQUESTS} subrequests`)
  }
  const seen = new Set<string>()
  const subs = b.compositeRequest.map((raw) => {
    const s = raw as Partial<Subrequest> | null
    if (
      !s ||
      typeof s.method !== 'string' ||
      typeof s.url !== 'string' ||
      typeof s.referenceId !== 'string'
    ) {
      throw badRequest('Each subrequest needs method, url and referenceId')
    }
    if (seen.has(s.referenceId)) throw badRequest(`Duplicate referenceId ${s.referenceId}`)
    seen.add(s.referenceId)
    if (!/^\/services\/data\/v\d+\.\d\//.test(s.url) || /\/composite(\/|\?|$)/.test(s.url)) {
      throw badRequest(`Subrequest url ${s.url} is not a supported resource`)
    }
    return s as Subrequest
  })
  return { allOrNone: b.allOrNone === true, subs }
}

/** The value at `records[0].Id`-style paths in an earlier subrequest's body. */
function lookup(outputs: Map<string, unknown>, ref: string, path: string): unknown {
  let value: unknown = outputs.get(ref)
  for (const part of path.replace(/\[(\d+)\]/g, '.$1').split('.')) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

const REFERENCE = /@\{([A-Za-z0-9_]+)\.([^}]+)\}/g

function resolveString(text: string, outputs: Map<string, unknown>): unknown {
  const resolve = (ref: string, path: string): unknown => {
    const value = lookup(outputs, ref, path)
    if (value === undefined || value === null) {
      throw new RestError(400, [
        {
          errorCode: 'PROCESSING_HALTED',
          message: `Invalid reference: no value for ${ref}.${path} in ${ref}`,
        },
      ])
    }
    return value
  }
  const whole = /^@\{([A-Za-z0-9_]+)\.([^}]+)\}$/.exec(text)
  if (whole?.[1] && whole[2]) return resolve(whole[1], whole[2])
  return text.replace(REFERENCE, (_, ref: string, path: string) => String(resolve(ref, path)))
}

function resolveValue(value: unknown, outputs: Map<string, unknown>): unknown {
  if (typeof value === 'string') return resolveString(value, outputs)
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, outputs))
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, outputs)]))
  }
  return value
}

function toResult(sub: Subrequest, r: RestResponse): SubResult {
  const httpHeaders: Record<string, string> = {}
  if (r.kind === 'json' && r.location) httpHeaders.Location = r.location
  const bytes = r.kind === 'bytes' ? r.body : r.kind === 'stream' ? Buffer.concat([...r.chunks()]) : null
  const body = r.kind === 'json' ? r.body : bytes ? Buffer.from(bytes).toString('base64') : null
  return { body, httpHeaders, httpStatusCode: r.status, referenceId: sub.referenceId }
}

function run(
  sub: Subrequest,
  outputs: Map<string, unknown>,
  dispatch: (req: RestRequest) => RestResponse,
): SubResult {
  try {
    const url = String(resolveString(sub.url, outputs))
    const body = sub.body === undefined ? '' : JSON.stringify(resolveValue(sub.body, outputs))
    const headers = { ...lowerKeys(sub.httpHeaders ?? {}), 'content-type': 'application/json' }
    const req: RestRequest = {
      method: sub.method.toUpperCase(),
      url: new URL(url, 'http://devorg.invalid'),
      headers,
      body: Buffer.from(body),
    }
    return toResult(sub, dispatch(req))
  } catch (err) {
    if (!(err instanceof RestError)) throw err
    return { body: err.body, httpHeaders: {}, httpStatusCode: err.status, referenceId: sub.referenceId }
  }
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), String(v)]))
}

export function handleComposite(
  ctx: { req: RestRequest; store: RecordStore; events: EventLog },
  dispatch: (req: RestRequest) => RestResponse,
): RestResponse {
  allowMethods(ctx.req, ['POST'])
  const { allOrNone, subs } = readSubrequests(jsonBody(ctx.req))
  const outputs = new Map<string, unknown>()
  const results: SubResult[] = []
  const eventMark = ctx.events.events().length
  let failed = false
  try {
    ctx.store.transaction(() => {
      for (const sub of subs) {
        if (failed && allOrNone) {
          results.push({ body: HALTED, httpHeaders: {}, httpStatusCode: 400, referenceId: sub.referenceId })
          continue
        }
        const result = run(sub, outputs, dispatch)
        results.push(result)
        if (result.httpStatusCode >= 400) failed = true
        else outputs.set(sub.referenceId, result.body)
      }
      if (failed && allOrNone) throw new RolledBack()
    })
  } catch (err) {
    if (!(err instanceof RolledBack)) throw err
    ctx.events.truncate(eventMark)
  }
  const rolledBack = failed && allOrNone
  return jsonResponse(200, {
    compositeResponse: results.map((r) =>
      rolledBack && r.httpStatusCode < 400 ? { ...r, body: HALTED, httpHeaders: {}, httpStatusCode: 400 } : r,
    ),
  })
}
