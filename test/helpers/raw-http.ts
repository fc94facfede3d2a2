import { connect } from 'node:net'

export interface RawResponse {
  readonly status: number
  readonly head: string
  readonly body: string
}

/** Sends bytes exactly as given (for framing cases no client library would produce) and reads until close. */
export function rawRequest(url: string, request: string, timeoutMs = 5_000): Promise<RawResponse> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    let data = ''
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no complete response within ${timeoutMs} ms: ${JSON.stringify(data.slice(0, 200))}`))
    }, timeoutMs)
    socket.setEncoding('latin1')
    socket.on('data', (d: string) => {
      data += d
      const end = data.indexOf('\r\n\r\n')
      if (end === -1) return
      const head = data.slice(0, end)
      const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1]
      if (length !== undefined && data.length >= end + 4 + Number(length)) socket.end()
    })
    socket.on('close', () => {
      clearTimeout(timer)
      const end = data.indexOf('\r\n\r\n')
      const head = end === -1 ? data : data.slice(0, end)
      const raw = end === -1 ? '' : data.slice(end + 4)
      const body = /\r\ntransfer-encoding: *chunked/i.test(head) ? dechunk(raw) : raw
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), head, body })
    })
    socket.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    socket.write(request, 'latin1')
  })
}

function dechunk(raw: string): string {
  let out = ''
  let i = 0
  while (i < raw.length) {
    const lineEnd = raw.indexOf('\r\n', i)
    if (lineEnd === -1) break
    const size = Number.parseInt(raw.slice(i, lineEnd), 16)
    if (!(size > 0)) break
    out += raw.slice(lineEnd + 2, lineEnd + 2 + size)
    i = lineEnd + 2 + size + 2
  }
  return out
}
