import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'

// The gateway may not import the dev org, so each keeps its own copy of Salesforce's service
// definition. Their wire facts (everything but the header comment) must never drift apart.
const body = (path: string): string => {
  const text = readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8')
  return text.slice(text.indexOf('syntax = "proto3";'))
}

test("the relay's and the dev org's Pub/Sub API definitions carry the same wire facts", () => {
  const relay = body('src/relay/pubsub_api.proto')
  assert.ok(relay.startsWith('syntax = "proto3";'))
  assert.equal(relay, body('devorg/pubsub/pubsub_api.proto'))
})
