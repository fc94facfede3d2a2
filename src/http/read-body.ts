import type { IncomingMessage } from 'node:http'
import { type Readable, Transform } from 'node:stream'
import { GatewayError } from '../errors/gateway-error.ts'

/**
 * Reads the whole body, refusing (413) as soon as it passes the limit rather than after
 * buffering it. A client that went away (before or while reading) rejects at once: a stream
 * destroyed early never emits `end`, and waiting for it would hold the request forever.
 */
export function readBody(incoming: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (incoming.readableEnded) {
      resolve(Buffer.alloc(0))
      return
    }
    if (incoming.destroyed) {
      reject(
        new GatewayError('GW_BAD_REQUEST', { reason: 'receive.body_aborted', detail: 'client went away' }),
      )
      return
    }
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
    const onAbort = (err?: Error): void => {
      cleanup()
      reject(
        new GatewayError('GW_BAD_REQUEST', {
          reason: 'receive.body_aborted',
          detail: err?.message ?? 'client went away',
        }),
      )
    }
    const onClose = (): void => {
      if (!incoming.complete) onAbort()
    }
    const cleanup = (): void => {
      incoming.off('data', onData)
      incoming.off('end', onEnd)
      incoming.off('error', onAbort)
      incoming.off('close', onClose)
    }
    incoming.on('data', onData)
    incoming.on('end', onEnd)
    incoming.on('error', onAbort)
    incoming.on('close', onClose)
  })
}

/**
 * Passes a streamed body through while counting it; past the limit the stream fails with a
 * 413 so an upstream never receives more than a buffered integration would accept. Only
 * chunked bodies need this: a declared length was checked before, and Node's parser never
 * reads past it.
 */
export function limitBody(incoming: IncomingMessage, maxBytes: number): Readable {
  let size = 0
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length
      if (size > maxBytes) done(new GatewayError('GW_BODY_TOO_LARGE', { reason: 'receive.body_size' }))
      else done(null, chunk)
    },
  })
  incoming.once('error', (err) => counter.destroy(err))
  return incoming.pipe(counter)
}
