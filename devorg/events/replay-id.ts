// Replay ids are opaque to clients but not to us: 8 bytes, big-endian (what Salesforce's own
// ids look like on the wire), holding the stream's generation above a 40-bit sequence. The
// generation is drawn when a stream is created, so an id from another stream (an in-memory org
// that restarted, a reset data folder) is refused instead of being read as a position here.
// Values stay below 2^53 because common clients turn replay ids into JavaScript numbers.

const SEQUENCE_BITS = 40n
const SEQUENCE_MASK = (1n << SEQUENCE_BITS) - 1n
/** 13 bits of generation keep every id under 2^53. */
export const MAX_GENERATION = 8191

export type ReplayPosition = { generation: number; sequence: number }

export function encodeReplayId(generation: number, sequence: number): Buffer {
  const out = Buffer.alloc(8)
  out.writeBigUInt64BE((BigInt(generation) << SEQUENCE_BITS) | BigInt(sequence))
  return out
}

/** The position an id names, or null when it is not 8 bytes. */
export function decodeReplayId(bytes: Uint8Array): ReplayPosition | null {
  if (bytes.length !== 8) return null
  const value = Buffer.from(bytes.buffer, bytes.byteOffset, 8).readBigUInt64BE()
  return { generation: Number(value >> SEQUENCE_BITS), sequence: Number(value & SEQUENCE_MASK) }
}
