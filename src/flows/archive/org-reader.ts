// A small read-only Salesforce REST client for the archive: SOQL with paging and VersionData
// as a stream, as the org's integration user. It backs off on 503 and on the concurrent
// request limit, gets a new token once on 401, and stops on the daily request limit (retrying
// only spends more of an allocation that is already gone).

import type { Readable } from 'node:stream'
import { type Dispatcher, request } from 'undici'
import { ArchiveError } from './archive-error.ts'

export interface OrgAuth {
  readonly accessToken: string
  readonly instanceUrl: string
}

export interface OrgReaderOptions {
  auth(): Promise<OrgAuth>
  /** The org refused the token: the next auth() gets another. */
  invalidate(): void
  readonly apiVersion: string
  readonly timeoutMs: number
  /** Tries per call on a transient answer (503, 502, the concurrent request limit). */
  readonly attempts: number
  readonly backoffMs: number
  readonly sleep: (ms: number) => Promise<void>
  readonly onRetry?: (why: string, waitMs: number) => void
}

export type SObject = Record<string, unknown>

export interface QueryPage {
  readonly totalSize: number
  readonly records: readonly SObject[]
}

export interface VersionDataStream {
  readonly body: Readable
  readonly size: number | undefined
  readonly contentType: string
}

interface SalesforceFault {
  readonly errorCode: string
  readonly message: string
}

function faultOf(body: unknown): SalesforceFault {
  const first = Array.isArray(body) ? (body[0] as Partial<SalesforceFault> | undefined) : undefined
  return {
    errorCode: typeof first?.errorCode === 'string' ? first.errorCode : 'UNKNOWN',
    message: typeof first?.message === 'string' ? first.message : '',
  }
}

export class OrgReader {
  readonly #o: OrgReaderOptions

  constructor(options: OrgReaderOptions) {
    this.#o = options
  }

  /** Every page of a SOQL query, following nextRecordsUrl. */
  async *query(soql: string): AsyncGenerator<QueryPage> {
    let path = `/services/data/v${this.#o.apiVersion}/query?q=${encodeURIComponent(soql)}`
    for (;;) {
      const res = await this.#get(path)
      const page = (await res.body.json()) as {
        totalSize: number
        records: SObject[]
        nextRecordsUrl?: string
      }
      yield { totalSize: page.totalSize, records: page.records }
      if (typeof page.nextRecordsUrl !== 'string') return
      path = page.nextRecordsUrl
    }
  }

  async versionData(versionId: string): Promise<VersionDataStream> {
    const res = await this.#get(
      `/services/data/v${this.#o.apiVersion}/sobjects/ContentVersion/${versionId}/VersionData`,
    )
    const length = res.headers['content-length']
    return {
      body: res.body,
      size: typeof length === 'string' ? Number(length) : undefined,
      contentType: String(res.headers['content-type'] ?? 'application/octet-stream'),
    }
  }

  async #get(path: string): Promise<Dispatcher.ResponseData> {
    let refreshed = false
    let last = ''
    for (let attempt = 1; ; attempt++) {
      const auth = await this.#o.auth()
      let res: Dispatcher.ResponseData
      try {
        res = await request(new URL(path, auth.instanceUrl), {
          headers: { authorization: `Bearer ${auth.accessToken}`, accept: 'application/json' },
          headersTimeout: this.#o.timeoutMs,
          bodyTimeout: this.#o.timeoutMs,
        })
      } catch (err) {
        const code = (err as { code?: string }).code ?? (err as Error).name
        last = `${auth.instanceUrl} cannot be reached (${code})`
        if (attempt >= this.#o.attempts) throw new ArchiveError('SALESFORCE_UNREACHABLE', last)
        await this.#wait(last, attempt, undefined)
        continue
      }
      if (res.statusCode === 200) return res
      const fault = faultOf(await res.body.json().catch(() => undefined))
      const usage = res.headers['sforce-limit-info']
      const usageNote = typeof usage === 'string' ? ` (${usage})` : ''
      if (res.statusCode === 401 && !refreshed) {
        refreshed = true
        this.#o.invalidate()
        attempt--
        continue
      }
      const transient =
        res.statusCode === 503 ||
        res.statusCode === 502 ||
        (fault.errorCode === 'REQUEST_LIMIT_EXCEEDED' && /concurrent/i.test(fault.message))
      if (fault.errorCode === 'REQUEST_LIMIT_EXCEEDED' && !transient)
        throw new ArchiveError(
          'SALESFORCE_REQUEST_LIMIT',
          `Salesforce refused the request: REQUEST_LIMIT_EXCEEDED ${fault.message}${usageNote}; ` +
            'the org has used its API allocation, run again once it has recovered',
        )
      if (!transient)
        throw new ArchiveError(
          'SALESFORCE_ERROR',
          `Salesforce answered ${res.statusCode} ${fault.errorCode}: ${fault.message}`.trim(),
        )
      last = `Salesforce answered ${res.statusCode} ${fault.errorCode}`
      if (attempt >= this.#o.attempts)
        throw new ArchiveError(
          'SALESFORCE_UNAVAILABLE',
          `${last} ${attempt} times; run again later to resume`,
        )
      const retryAfter = Number(res.headers['retry-after'])
      await this.#wait(
        last,
        attempt,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      )
    }
  }

  async #wait(why: string, attempt: number, asked: number | undefined): Promise<void> {
    // Exponential with full jitter, so parallel transfers do not come back in step.
    const ceiling = this.#o.backoffMs * 2 ** (attempt - 1)
    const waitMs = asked ?? Math.round(ceiling / 2 + (Math.random() * ceiling) / 2)
    this.#o.onRetry?.(why, waitMs)
    await this.#o.sleep(waitMs)
  }
}
