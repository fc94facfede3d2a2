/**
 * The org's REST API as a signed-in user: SOQL queries and files attached to a record, each
 * made with that user's own access token, so the org's sharing decides what they see and
 * where they may attach. The token goes only to the org that issued it (its My Domain) and
 * never prints. Queries are retried on the org's transient answers; a streamed file is sent once.
 */
import type { Readable } from 'node:stream'
import { Agent } from 'undici'
import { CallerToken } from './caller-token.ts'
import { streamContentVersion } from './content-version-stream.ts'
import { type SalesforceAnswer, SalesforceRest } from './salesforce-rest.ts'

export interface RecordsAsUser {
  /** `GET /query?q=` as the user. */
  query(accessToken: string, soql: string): Promise<SalesforceAnswer>
  /**
   * Streams the file into a ContentVersion published to `recordId` as the user; throws
   * `GW_BODY_TOO_LARGE` past `maxBytes` (the org then stores nothing).
   */
  attach(
    accessToken: string,
    recordId: string,
    file: { readonly filename: string; readonly contentType: string | undefined; readonly body: Readable },
    maxBytes: number,
  ): Promise<{ readonly answer: SalesforceAnswer; readonly bytes: number }>
  close(): Promise<void>
}

export function createRecordsAsUser(org: {
  readonly issuer: string
  readonly timeoutMs: number
}): RecordsAsUser {
  const agent = new Agent({ connections: 16, pipelining: 1 })
  const rest = new SalesforceRest({ dispatcher: agent, timeoutMs: org.timeoutMs })
  const as = (accessToken: string) =>
    ({ kind: 'caller', token: new CallerToken(accessToken), instanceUrl: org.issuer }) as const
  return {
    query: (accessToken, soql) =>
      rest.call(as(accessToken), { method: 'GET', path: `/query?q=${encodeURIComponent(soql)}` }),
    async attach(accessToken, recordId, file, maxBytes) {
      const { answer, bytes } = await streamContentVersion(rest, as(accessToken), recordId, file, maxBytes)
      return { answer, bytes }
    },
    close: () => agent.close(),
  }
}
