/**
 * Body size: 1 KB and 1 MB, as response bodies (the upstream's `/bytes/<n>`) and as request
 * bodies (POST, read to the end by the upstream), through forcegate's passthrough and the
 * minimal undici proxy. Both stream: neither buffers a whole body.
 */
import type { Scenario } from '../lib/scenario.ts'
import { forcegatePassthrough } from './forcegate-passthrough.ts'
import { undiciProxy } from './undici-proxy.ts'

const SIZES = [
  { bytes: 1024, name: '1 KB' },
  { bytes: 1024 * 1024, name: '1 MB' },
] as const

export function bodyScenarios(): Scenario[] {
  const out: Scenario[] = []
  for (const { bytes, name } of SIZES) {
    for (const base of [forcegatePassthrough, undiciProxy]) {
      const who = base === undiciProxy ? 'undici proxy' : 'forcegate'
      out.push({
        ...base,
        id: `${base.id}-response-${bytes}`,
        label: `${who}, ${name} response`,
        path: `/bytes/${bytes}`,
        server: base.id,
      })
      out.push({
        ...base,
        id: `${base.id}-request-${bytes}`,
        label: `${who}, ${name} request body`,
        path: '/api/upload',
        method: 'POST',
        bodyBytes: bytes,
        server: base.id,
      })
    }
  }
  return out
}
