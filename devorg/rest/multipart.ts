// A small multipart/form-data reader: enough for a JSON part plus one binary part, which is
// how clients upload file bodies too large for base64 in JSON.

export type Part = { name: string; filename: string | null; contentType: string | null; body: Buffer }

export function boundaryOf(contentType: string): string | null {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  return m?.[1] ?? m?.[2] ?? null
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>()
  for (const line of block.split('\r\n')) {
    const i = line.indexOf(':')
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim())
  }
  return headers
}

function dispositionParam(disposition: string, key: string): string | null {
  const m = new RegExp(`(?:^|;)\\s*${key}="([^"]*)"`, 'i').exec(disposition)
  if (m?.[1] !== undefined) return m[1]
  const bare = new RegExp(`(?:^|;)\\s*${key}=([^;\\s]+)`, 'i').exec(disposition)
  return bare?.[1] ?? null
}

/** Parts in order; null when the body is not well-formed multipart for `boundary`. */
export function parseMultipart(body: Buffer, boundary: string): Part[] | null {
  const delimiter = Buffer.from(`--${boundary}`)
  const parts: Part[] = []
  let pos = body.indexOf(delimiter)
  if (pos < 0) return null
  for (;;) {
    pos += delimiter.length
    if (body.subarray(pos, pos + 2).toString() === '--') return parts
    if (body.subarray(pos, pos + 2).toString() === '\r\n') pos += 2
    const headerEnd = body.indexOf('\r\n\r\n', pos)
    if (headerEnd < 0) return null
    const headers = parseHeaders(body.subarray(pos, headerEnd).toString('utf8'))
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4)
    if (next < 0) return null
    const disposition = headers.get('content-disposition') ?? ''
    parts.push({
      name: dispositionParam(disposition, 'name') ?? '',
      filename: dispositionParam(disposition, 'filename'),
      contentType: headers.get('content-type') ?? null,
      body: body.subarray(headerEnd + 4, next),
    })
    pos = next + 2
  }
}
