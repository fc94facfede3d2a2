/**
 * A file uploaded through the gateway becomes a Salesforce `ContentVersion` published to a
 * record (`FirstPublishLocationId`, e.g. an Opportunity), written as the caller so the org's
 * sharing decides whether they may attach to it. The body (a multipart form's first file, or
 * the raw body) is streamed into the org's multipart ContentVersion endpoint: size is counted
 * as it flows (413 when over `maxBytes`), the type is checked before anything is sent (415),
 * and the file is never held in memory.
 */
import type { Readable } from 'node:stream'
import { GatewayError } from '../../errors/gateway-error.ts'
import { lastHeader } from '../../http/gateway-request.ts'
import { boundaryOf, MultipartError, openFilePart } from '../../http/multipart-file-part.ts'
import type { Integration, IntegrationCall, IntegrationResult } from '../types.ts'
import { streamContentVersion, tooLarge } from './content-version-stream.ts'
import { jsonResponse, recordAnswer } from './salesforce-answer.ts'
import type { SalesforceOrgTarget } from './salesforce-connections.ts'
import type { SalesforceRouteSpec } from './salesforce-route-spec.ts'

const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/

export function createContractUpload(spec: SalesforceRouteSpec, target: SalesforceOrgTarget): Integration {
  const upload = spec.upload!
  const accepts = (type: string | undefined): boolean =>
    upload.contentTypes.length === 0 || (type !== undefined && upload.contentTypes.includes(type))
  return {
    type: 'salesforce',
    description: `salesforce file upload (ContentVersion on {${upload.linkToPathParameter}}) in org ${spec.org} as ${spec.credential === 'caller' ? 'the caller' : 'the integration user'}, up to ${upload.maxBytes} bytes`,
    needsBody: false,
    async invoke(call: IntegrationCall): Promise<IntegrationResult> {
      const recordId = call.view.pathParameters?.[upload.linkToPathParameter]
      if (recordId === undefined || !RECORD_ID.test(recordId))
        return buffered(
          jsonResponse(400, {
            message: 'expected a Salesforce record id in the path',
            errorCode: 'INVALID_ID',
          }),
        )
      const req = call.view.request
      const declared = Number(lastHeader(req, 'content-length') ?? Number.NaN)
      if (declared > upload.maxBytes + 64 * 1024) throw tooLarge(upload.maxBytes)
      const requestType = lastHeader(req, 'content-type')
      const media = requestType?.split(';')[0]?.trim().toLowerCase()
      let file: { filename: string; contentType: string | undefined; body: Readable }
      if (media === 'multipart/form-data') {
        const boundary = boundaryOf(requestType)
        if (boundary === undefined) return buffered(badUpload('multipart/form-data without a boundary'))
        try {
          const part = await openFilePart(call.incoming, boundary)
          if (part === undefined) return buffered(badUpload('the form has no file part'))
          file = part
        } catch (err) {
          if (err instanceof MultipartError) return buffered(badUpload(err.message))
          throw err
        }
      } else {
        if (declared > upload.maxBytes) throw tooLarge(upload.maxBytes)
        file = { filename: rawFilename(call), contentType: media, body: call.incoming }
      }
      if (!accepts(file.contentType)) {
        file.body.resume()
        throw new GatewayError('GW_UNSUPPORTED_MEDIA_TYPE', {
          reason: 'salesforce.upload_type',
          detail: `${file.contentType ?? 'no type'} is not one of ${upload.contentTypes.join(', ')}`,
        })
      }
      const { answer, bytes, title } = await streamContentVersion(
        target.rest,
        target.credentials(spec.credential, call),
        recordId,
        file,
        upload.maxBytes,
      )
      if (answer.status === 201) {
        const body = answer.json as { id?: string }
        return buffered(
          jsonResponse(201, {
            contentVersionId: body.id,
            linkedTo: recordId,
            title,
            pathOnClient: file.filename,
            bytes,
          }),
        )
      }
      return buffered(recordAnswer(answer, spec.credential === 'caller'))
    },
  }
}

function rawFilename(call: IntegrationCall): string {
  const req = call.view.request
  const disposition = lastHeader(req, 'content-disposition') ?? ''
  const fromDisposition = /filename="?([^";]+)"?/i.exec(disposition)?.[1]
  const name = fromDisposition ?? lastHeader(req, 'x-file-name') ?? 'contract'
  return name.split(/[\\/]/).pop() || 'contract'
}

function badUpload(message: string) {
  return jsonResponse(400, { message, errorCode: 'INVALID_UPLOAD' })
}

function buffered(response: ReturnType<typeof jsonResponse>): IntegrationResult {
  return { kind: 'buffered', response }
}
