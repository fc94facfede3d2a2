import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Writable } from 'node:stream'
import type { RequestView } from '../events/request-view.ts'

import type { BufferedResponse } from '../lib/buffered-response.ts'
import type { CallerToken } from './salesforce/caller-token.ts'

export type { BufferedResponse }

/** Either a response to write, or a note that it was streamed through the call's `respond`. */
export type IntegrationResult =
  | { readonly kind: 'buffered'; readonly response: BufferedResponse }
  | { readonly kind: 'streamed' }

export interface IntegrationCall {
  readonly view: RequestView
  /** `requestContext.authorizer` for Lambda events, when an authorizer ran. */
  readonly authorizer: Readonly<Record<string, unknown>> | undefined
  /** Identity headers the gateway vouches for, added after client copies were stripped. */
  readonly identityHeaders: readonly (readonly [string, string])[]
  /** Headers the gateway adds to the client's response (rate-limit state, …). */
  readonly responseHeaders: Readonly<Record<string, string>> | undefined
  /** The caller's Salesforce token, when a Salesforce authorizer vouched for it (never logged). */
  readonly callerToken?: CallerToken | undefined
  /** Raw request and response, for integrations that stream. */
  readonly incoming: IncomingMessage
  readonly outgoing: ServerResponse
  /** The respond stage's writer for a streamed answer: an integration never writes a head itself. */
  readonly respond: StreamResponder
}

/**
 * Writes a streamed answer's status and headers the way the respond stage writes every answer
 * (the request id, the gateway's response headers, the API's answer to a header HTTP cannot
 * carry) and returns where the body goes, so that it is piped without a copy.
 */
export interface StreamResponder {
  head(call: IntegrationCall, status: number, headers: Readonly<Record<string, string | string[]>>): Writable
}

/** The answer as the respond stage writes it; a ServerResponse, or a recorder for `explain`. */
export type ResponseSink = Pick<ServerResponse, 'headersSent' | 'writeHead' | 'end' | 'destroy'>

export interface Integration {
  /** `aws_proxy`, `http_proxy` or `mock`: printed in the route table. */
  readonly type: string
  /** One line for the start-up route table, e.g. `lambda order-status (payload 1.0)`. */
  readonly description: string
  /** Whether the body must be read before `invoke` (buffering integrations). */
  readonly needsBody: boolean
  /** A smaller body limit than the gateway's for this integration (413 past it). */
  readonly maxBodyBytes?: number
  /** Pure (no call leaves the gateway, nothing is counted): `explain` may run it for real. */
  readonly sideEffectFree?: boolean
  /** Non-proxy integrations: one line per template set, printed under the route in the table. */
  readonly mapping?: readonly string[]
  invoke(call: IntegrationCall): Promise<IntegrationResult>
  /**
   * For `forcegate explain`: what the integration would do with this request (the chosen
   * template, the rendered integration request, the integration response), calling no backend.
   */
  explain?(call: Pick<IntegrationCall, 'view' | 'authorizer'>): Promise<Record<string, unknown>>
  close?(): Promise<void>
}
