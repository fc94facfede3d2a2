/**
 * A file streamed into a Salesforce `ContentVersion` published to a record
 * (`FirstPublishLocationId`): one multipart request to the org (the `entity_content` JSON part,
 * then the file's bytes as `VersionData`), the bytes counted as they flow and the request failed
 * at the first byte over the limit, so an oversized file never completes at the org and is
 * never held in memory here. Shared by the upload integration and the portal's contracts.
 */
import { randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { SalesforceAnswer, SalesforceCredentials, SalesforceRest } from './salesforce-rest.ts'

export interface StreamedFile {
  readonly filename: string
  readonly contentType: string | undefined
  readonly body: Readable
}

export interface StreamedVersion {
  readonly answer: SalesforceAnswer
  /** The file's bytes that reached the org. */
  readonly bytes: number
  readonly title: string
}

/** Throws `GW_BODY_TOO_LARGE` (reason `salesforce.upload_size`) when the file passes `maxBytes`. */
export async function streamContentVersion(
  rest: SalesforceRest,
  credentials: SalesforceCredentials,
  recordId: string,
  file: StreamedFile,
  maxBytes: number,
): Promise<StreamedVersion> {
  const counted = new ByteLimit(maxBytes)
  const boundary = `forcegate${randomBytes(12).toString('hex')}`
  const entity = {
    PathOnClient: file.filename,
    Title: file.filename.replace(/\.[^.]*$/, '') || file.filename,
    FirstPublishLocationId: recordId,
  }
  let answer: SalesforceAnswer
  try {
    answer = await rest.call(credentials, {
      method: 'POST',
      path: '/sobjects/ContentVersion',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: () => Readable.from(multipartBody(boundary, entity, file, counted)),
    })
  } catch (err) {
    if (counted.exceeded) throw tooLarge(maxBytes)
    throw err
  }
  if (counted.exceeded) throw tooLarge(maxBytes)
  return { answer, bytes: counted.bytes, title: entity.Title }
}

async function* multipartBody(
  boundary: string,
  entity: Record<string, string>,
  file: StreamedFile,
  counted: ByteLimit,
): AsyncGenerator<Buffer> {
  const name = file.filename.replace(/["\r\n]/g, '_')
  yield Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="entity_content"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(entity)}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="VersionData"; filename="${name}"\r\nContent-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
  )
  // Iterated, not piped: a source that fails (the client went away mid-file) fails this body,
  // and so the request to the org, instead of emitting an error nobody listens to.
  for await (const chunk of file.body) {
    counted.add(chunk as Buffer)
    yield chunk as Buffer
  }
  yield Buffer.from(`\r\n--${boundary}--\r\n`)
}

/** Counts the file's bytes as they pass and fails the body at the first byte over the limit. */
class ByteLimit {
  bytes = 0
  exceeded = false
  readonly #max: number

  constructor(max: number) {
    this.#max = max
  }

  add(chunk: Buffer): void {
    this.bytes += chunk.length
    if (this.bytes > this.#max) {
      this.exceeded = true
      throw new GatewayError('GW_BODY_TOO_LARGE', { reason: 'salesforce.upload_size' })
    }
  }
}

export function tooLarge(max: number): GatewayError {
  return new GatewayError('GW_BODY_TOO_LARGE', {
    reason: 'salesforce.upload_size',
    detail: `the file exceeds ${max} bytes`,
  })
}
