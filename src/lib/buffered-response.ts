/** A complete HTTP response held in memory: status, header pairs in order, body. */
export interface BufferedResponse {
  readonly status: number
  readonly headers: readonly (readonly [string, string])[]
  readonly body: Buffer | string
}
