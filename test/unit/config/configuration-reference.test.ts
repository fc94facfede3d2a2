/**
 * docs/configuration.md is generated from the schemas that validate forcegate.yaml: the
 * committed file must be what the generator renders now (run `node tools/config-reference.ts`
 * after changing a schema).
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { GatewayFileSchema } from '../../../src/config/gateway-file-schema.ts'
import { REFERENCE_FILE, renderConfigurationReference } from '../../../tools/config-reference.ts'

test('docs/configuration.md is up to date with the configuration schemas', () => {
  assert.equal(
    readFileSync(REFERENCE_FILE, 'utf8'),
    renderConfigurationReference(),
    'docs/configuration.md is stale: run node tools/config-reference.ts',
  )
})

test('every top-level section of forcegate.yaml has its heading', () => {
  const text = renderConfigurationReference()
  for (const key of Object.keys(GatewayFileSchema.properties))
    assert.match(text, new RegExp(`^## ${key}$`, 'm'))
  assert.match(text, /\| `server\.port` \| integer 0–65535 \| `8080` \|/)
  assert.match(
    text,
    /`partners\.encryption\.key` \| secret: `\{ env: NAME \}` or `\{ file: path \}` \| `\{"env":"FORCEGATE_ENCRYPTION_KEY"\}`/,
  )
})
