/**
 * The first file of a `multipart/form-data` request body, as a stream: the part headers are
 * read (so its name and type are known before anything is sent on), then its bytes flow
 * through while the closing delimiter is looked for in a window no longer than the delimiter.
 * Nothing but that window and the current chunk is ever held in memory. Small text fields
 * sent before the file are kept (a form's CSRF token is checked before any byte goes on).
 */
import { Readable } from 'node:stream'

export interface FilePart {
  readonly filename: string
  /** The part's own Content-Type, lower-cased, without parameters; undefined when it has none. */
  readonly contentType: string | undefined
  readonly body: Readable
  /** The browser sent the part without a file name (a form submitted with no file chosen). */
  readonly unnamed: boolean
  /** Text fields that came before the file, up to 4 KiB each (longer ones are left out). */
  readonly fields: ReadonlyMap<string, string>
}

export class MultipartError extends Error {
  override name = 'MultipartError'
}

const MAX_HEADER_BYTES = 16_384
const MAX_FIELD_BYTES = 4096
const MAX_FIELDS = 32

export function boundaryOf(contentType: string | undefined): string | undefined {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType ?? '')
  return match?.[1] ?? match?.[2]
}

/** Resolves with the first part that has a filename, or undefined when the body has none. */
export async function openFilePart(
  source: AsyncIterable<Buffer>,
  boundary: string,
): Promise<FilePart | undefined> {
  const chunks = source[Symbol.asyncIterator]()
  const delimiter = Buffer.from(`\r\n--${boundary}`)
  // The first delimiter has no CRLF before it when the body starts with it.
  let pending: Buffer = Buffer.from('\r\n')
  let ended = false
  const more = async (): Promise<boolean> => {
    if (ended) return false
    const next = await chunks.next()
    if (next.done) {
      ended = true
      return false
    }
    pending = pending.length === 0 ? next.value : Buffer.concat([pending, next.value])
    return true
  }
  const skipPast = async (needle: Buffer): Promise<boolean> => {
    for (;;) {
      const at = pending.indexOf(needle)
      if (at !== -1) {
        pending = pending.subarray(at + needle.length)
        return true
      }
      pending = pending.subarray(Math.max(0, pending.length - needle.length + 1))
      if (!(await more())) return false
    }
  }
  const fields = new Map<string, string>()
  if (!(await skipPast(delimiter))) throw new MultipartError('no multipart boundary in the body')
  for (;;) {
    while (pending.length < 2 && (await more()));
    if (pending.subarray(0, 2).toString() === '--') return undefined
    let headerEnd = pending.indexOf('\r\n\r\n')
    while (headerEnd === -1) {
      if (pending.length > MAX_HEADER_BYTES || !(await more()))
        throw new MultipartError('multipart part headers are malformed or too large')
      headerEnd = pending.indexOf('\r\n\r\n')
    }
    const headers = parseHeaders(pending.subarray(2, headerEnd).toString('utf8'))
    pending = pending.subarray(headerEnd + 4)
    const filename = dispositionParam(headers.get('content-disposition') ?? '', 'filename')
    if (filename === undefined) {
      const name = dispositionParam(headers.get('content-disposition') ?? '', 'name')
      const value = await fieldValue()
      if (value === null) throw new MultipartError('the multipart body ends inside a part')
      if (name !== undefined && value !== undefined && fields.size < MAX_FIELDS && !fields.has(name))
        fields.set(name, value)
      continue
    }
    const type = headers.get('content-type')?.split(';')[0]?.trim().toLowerCase()
    const base = filename.split(/[\\/]/).pop() ?? ''
    return {
      filename: base || 'file',
      contentType: type === '' ? undefined : type,
      body: Readable.from(partBytes()),
      unnamed: base === '',
      fields,
    }
  }

  /** A field's text up to the next delimiter; undefined when too long to keep, null at the end of the body. */
  async function fieldValue(): Promise<string | undefined | null> {
    for (;;) {
      const at = pending.indexOf(delimiter)
      if (at !== -1) {
        const value = at <= MAX_FIELD_BYTES ? pending.subarray(0, at).toString('utf8') : undefined
        pending = pending.subarray(at + delimiter.length)
        return value
      }
      if (pending.length > MAX_FIELD_BYTES + delimiter.length) {
        return (await skipPast(delimiter)) ? undefined : null
      }
      if (!(await more())) return null
    }
  }

  async function* partBytes(): AsyncGenerator<Buffer> {
    for (;;) {
      const at = pending.indexOf(delimiter)
      if (at !== -1) {
        if (at > 0) yield pending.subarray(0, at)
        pending = Buffer.alloc(0)
        // The rest (other parts, the epilogue) is read and dropped so the request completes.
        while (await more()) pending = Buffer.alloc(0)
        return
      }
      const safe = pending.length - delimiter.length + 1
      if (safe > 0) {
        yield pending.subarray(0, safe)
        pending = pending.subarray(safe)
      }
      if (!(await more())) throw new MultipartError('the multipart body ends inside the file')
    }
  }
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>()
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  return headers
}

function dispositionParam(disposition: string, key: string): string | undefined {
  const quoted = new RegExp(`;\\s*${key}="([^"]*)"`, 'i').exec(disposition)
  if (quoted?.[1] !== undefined) return quoted[1]
  return new RegExp(`;\\s*${key}=([^;\\s]+)`, 'i').exec(disposition)?.[1]
}
