import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { boundaryOf, MultipartError, openFilePart } from '../../src/http/multipart-file-part.ts'

async function* chunked(body: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < body.length; i += size) yield body.subarray(i, i + size)
}

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const c of stream) parts.push(c)
  return Buffer.concat(parts)
}

const boundary = 'xYz123'
function form(file: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="C:\\docs\\deal.pdf"\r\nContent-Type: Application/PDF\r\n\r\n`,
    ),
    file,
    Buffer.from(
      `\r\n--${boundary}\r\nContent-Disposition: form-data; name="after"\r\n\r\nignored\r\n--${boundary}--\r\n`,
    ),
  ])
}

test('the file part streams out byte for byte whatever the chunking, even a delimiter split across chunks', async () => {
  // A file full of near-delimiters: CRLF and dashes that must not end the part.
  const file = Buffer.concat([
    randomBytes(5000),
    Buffer.from(`\r\n--${boundary.slice(0, 3)}\r\n--`),
    randomBytes(3000),
  ])
  for (const size of [1, 7, 64, 4096, 1 << 20]) {
    const part = await openFilePart(chunked(form(file), size), boundary)
    assert.ok(part)
    assert.equal(part.filename, 'deal.pdf')
    assert.equal(part.contentType, 'application/pdf')
    assert.ok((await collect(part.body)).equals(file), `chunks of ${size}`)
  }
})

test('a form without a file part, and a body cut inside the file', async () => {
  const noFile = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${boundary}--\r\n`,
  )
  assert.equal(await openFilePart(chunked(noFile, 5), boundary), undefined)
  const cut = form(randomBytes(100)).subarray(0, 250)
  const part = await openFilePart(chunked(cut, 16), boundary)
  await assert.rejects(collect(part!.body), MultipartError)
  await assert.rejects(openFilePart(chunked(Buffer.from('no boundary here'), 4), boundary), MultipartError)
})

test('boundary parameter, quoted or not', () => {
  assert.equal(boundaryOf('multipart/form-data; boundary=abc'), 'abc')
  assert.equal(boundaryOf('multipart/form-data; charset=utf-8; boundary="a b"'), 'a b')
  assert.equal(boundaryOf('multipart/form-data'), undefined)
})
