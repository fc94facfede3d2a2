import type { Readable } from 'node:stream'

/**
 * What the Opportunities page needs of the org's REST API, always as the signed-in user (their
 * own access token): the gateway wires the Salesforce REST client in, so this layer stays free
 * of integration code and tests can watch every call.
 */

/** One answer of the org, as its REST API gave it. */
export interface OrgAnswer {
  readonly status: number
  /** The body parsed as JSON, or undefined. */
  readonly json: unknown
  /** The first error's `errorCode`, when the body is Salesforce's error array. */
  readonly errorCode: string | undefined
}

export interface UploadedFile {
  readonly filename: string
  readonly contentType: string | undefined
  readonly body: Readable
}

export interface OrgRecords {
  /** A SOQL query as the user. */
  query(accessToken: string, soql: string): Promise<OrgAnswer>
  /**
   * Streams the file into a ContentVersion published to `recordId`, as the user. Throws the
   * gateway's `GW_BODY_TOO_LARGE` once more than `maxBytes` have passed (nothing is stored).
   */
  attach(
    accessToken: string,
    recordId: string,
    file: UploadedFile,
    maxBytes: number,
  ): Promise<{ readonly answer: OrgAnswer; readonly bytes: number }>
}

/** The portal's `opportunities` settings, with the org access that serves them. */
export interface OpportunitiesSettings {
  readonly records: OrgRecords
  /** Largest contract file, counted as it streams. */
  readonly maxBytes: number
  /** Accepted file types, lower case. */
  readonly contentTypes: readonly string[]
}
