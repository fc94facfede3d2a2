import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readGatewayFile } from '../../../src/config/read-gateway-file.ts'
import { parseSourceText } from '../../../src/config/source-document.ts'
import { ConfigErrors } from '../../../src/errors/config-error.ts'

const FILE = 'forcegate.yaml'
const PORTAL = [
  'portal:',
  '  publicOrigin: https://portal.example.com',
  '  org: prod',
  '  client: { clientId: abc, clientSecret: { env: PORTAL_SECRET } }',
]

function read(lines: string[]) {
  return readGatewayFile(parseSourceText(FILE, `${lines.join('\n')}\n`))
}

test('the Opportunities page is off unless portal.opportunities.enabled says so', () => {
  const config = read(PORTAL)
  assert.equal(config.portal?.opportunities.enabled, false)
  assert.equal(config.portal?.opportunities.maxBytes, 8_388_608)
  assert.ok(config.portal?.opportunities.contentTypes.includes('application/pdf'))
  const on = read([...PORTAL, '  opportunities: { enabled: true, contentTypes: [application/pdf] }'])
  assert.equal(on.portal?.opportunities.enabled, true)
  assert.deepEqual(on.portal?.opportunities.contentTypes, ['application/pdf'])
})

test('its limits are checked where they are written', () => {
  try {
    read([...PORTAL, '  opportunities: { enabled: yes, maxBytes: 0, contentTypes: [PDF], extra: 1 }'])
    assert.fail('expected configuration errors')
  } catch (err) {
    assert.ok(err instanceof ConfigErrors, String(err))
    const text = err.errors.map((e) => e.message).join('\n')
    assert.match(text, /\/portal\/opportunities\/enabled: expected/)
    assert.match(text, /\/portal\/opportunities\/maxBytes: expected/)
    assert.match(text, /\/portal\/opportunities\/contentTypes\/0: expected/)
    assert.match(text, /\/portal\/opportunities\/extra: is not a known setting/)
  }
})
