import type { IncomingMessage } from 'node:http'
import { GatewayError } from '../errors/gateway-error.ts'

/** Reads the whole body, refusing (413) as soon as it passes the limit rather than after buffering it. */
export function readBody(incoming: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > maxBytes) {
        cleanup()
        incoming.resume()
        reject(new GatewayError('GW_BODY_TOO_LARGE', { reason: 'receive.body_size' }))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = (): void => {
      cleanup()
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size))
    }
    const onError = (err: Error): void => {
      cleanup()
      reject(new GatewayError('GW_BAD_REQUEST', { reason: 'receive.body_aborted', detail: err.message }))
    }
    const cleanup = (): void => {
      incoming.off('data', onData)
      incoming.off('end', onEnd)
      incoming.off('error', onError)
    }
    incoming.on('data', onData)
    incoming.on('end', onEnd)
    incoming.on('error', onError)
  })
}
