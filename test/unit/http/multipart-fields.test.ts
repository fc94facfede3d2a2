import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import { describe, it } from 'node:test'
import { openFilePart } from '../../../src/http/multipart-file-part.ts'

function body(parts: string[], boundary = 'b0undary'): Readable {
  const text = parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('') + `--${boundary}--\r\n`
  // One byte at a time: fields and delimiters split across chunks.
  return Readable.from([...Buffer.from(text)].map((b) => Buffer.from([b])))
}

describe('multipart fields before the file', () => {
  it('keeps small text fields that precede the file, and the file streams after them', async () => {
    const part = await openFilePart(
      body([
        'Content-Disposition: form-data; name="csrf"\r\n\r\nt0ken',
        'Content-Disposition: form-data; name="note"\r\n\r\nline one\r\nline two',
        'Content-Disposition: form-data; name="file"; filename="c.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1',
      ]),
      'b0undary',
    )
    assert.ok(part)
    assert.equal(part.fields.get('csrf'), 't0ken')
    assert.equal(part.fields.get('note'), 'line one\r\nline two')
    assert.equal(part.unnamed, false)
    const chunks: Buffer[] = []
    for await (const c of part.body) chunks.push(c as Buffer)
    assert.equal(Buffer.concat(chunks).toString(), '%PDF-1')
  })

  it('leaves out fields over 4 KiB and fields after the file; tells a part sent with no file name', async () => {
    const part = await openFilePart(
      body([
        `Content-Disposition: form-data; name="big"\r\n\r\n${'x'.repeat(5000)}`,
        'Content-Disposition: form-data; name="file"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n',
        'Content-Disposition: form-data; name="csrf"\r\n\r\nlate',
      ]),
      'b0undary',
    )
    assert.ok(part)
    assert.equal(part.fields.has('big'), false)
    assert.equal(part.fields.has('csrf'), false)
    assert.equal(part.unnamed, true)
    part.body.resume()
  })
})
