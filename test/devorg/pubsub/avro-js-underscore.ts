// Lets salesforce-pubsub-api-client load: its avro-js requires an undeclared `underscore` at
// load time (only for a deprecated validator the client never calls). Import before the client.

import { registerHooks } from 'node:module'

const stub = new URL('./underscore-stub.cjs', import.meta.url).href

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'underscore') return { url: stub, format: 'commonjs', shortCircuit: true }
    return nextResolve(specifier, context)
  },
})
