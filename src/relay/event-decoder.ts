// Turns a Pub/Sub event's Avro payload into plain JSON-ready values. Schemas are fetched by the
// id each event carries and kept (an event definition that changes gets a new id). Longs are
// read as BigInt, since change event headers exceed 2^53; values that fit a double exactly
// become numbers, the others decimal strings, so JSON never loses a digit.

import avro from 'avsc'

const bigIntLong = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint | number) => {
    const buf = Buffer.alloc(8)
    buf.writeBigInt64LE(BigInt(n))
    return buf
  },
  fromJSON: (n: unknown) => BigInt(n as string),
  toJSON: (n: bigint) => n.toString(),
  isValid: (n: unknown) => typeof n === 'bigint' || (typeof n === 'number' && Number.isSafeInteger(n)),
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
})

/** A BigInt-long Avro type for a schema as GetSchema returns it. */
export function avroTypeFor(schemaJson: string): avro.Type {
  const { uuid: _uuid, ...schema } = JSON.parse(schemaJson) as { uuid?: string }
  return avro.Type.forSchema(schema as avro.Schema, { registry: { long: bigIntLong } })
}

/** Avro-decoded values as JSON: BigInts as numbers when exact, else strings; bytes as base64. */
export function toJsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString()
  }
  if (Buffer.isBuffer(value)) return value.toString('base64')
  if (Array.isArray(value)) return value.map(toJsonValue)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = toJsonValue(v)
    return out
  }
  return value
}

export class EventDecoder {
  readonly #types = new Map<string, avro.Type>()
  readonly #fetchSchema: (schemaId: string) => Promise<string>

  constructor(fetchSchema: (schemaId: string) => Promise<string>) {
    this.#fetchSchema = fetchSchema
  }

  async decode(schemaId: string, payload: Buffer): Promise<Record<string, unknown>> {
    let type = this.#types.get(schemaId)
    if (type === undefined) {
      type = avroTypeFor(await this.#fetchSchema(schemaId))
      this.#types.set(schemaId, type)
    }
    return toJsonValue(type.fromBuffer(payload)) as Record<string, unknown>
  }
}
