/**
 * `contentHandling` and `x-amazon-apigateway-binary-media-types`, as AWS's "content type
 * conversions" tables state them: a payload whose Content-Type is a binary media type is
 * binary, anything else text. CONVERT_TO_TEXT turns a binary payload into its base64 text,
 * CONVERT_TO_BINARY decodes a text payload as base64; unset passes either through as it is.
 * A mapping template always reads text, so a binary payload reaches it base64-encoded.
 */
import { matchesMediaType } from '../../events/event-body.ts'

export type ContentHandling = 'CONVERT_TO_TEXT' | 'CONVERT_TO_BINARY'

export function isBinaryPayload(mediaType: string, binaryMediaTypes: readonly string[]): boolean {
  return binaryMediaTypes.length > 0 && matchesMediaType(mediaType, binaryMediaTypes)
}

/** The payload a template reads (`$input.body`). */
export function templateText(body: Buffer, binary: boolean): string {
  return binary ? body.toString('base64') : body.toString('utf8')
}

/** A payload passed through (no template) after the conversion `handling` asks for. */
export function convertPayload(
  body: Buffer,
  binary: boolean,
  handling: ContentHandling | undefined,
): Buffer | string {
  if (handling === 'CONVERT_TO_TEXT') return binary ? body.toString('base64') : body.toString('utf8')
  if (handling === 'CONVERT_TO_BINARY') return binary ? body : Buffer.from(body.toString('utf8'), 'base64')
  return binary ? body : body.toString('utf8')
}

/** A template's output after the conversion `handling` asks for. */
export function convertRendered(text: string, handling: ContentHandling | undefined): Buffer | string {
  return handling === 'CONVERT_TO_BINARY' ? Buffer.from(text, 'base64') : text
}
