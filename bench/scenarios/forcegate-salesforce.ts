/**
 * forcegate: Salesforce enforcement (opaque tokens checked by introspection, decisions cached).
 * The enforcer exists (src/auth/salesforce) but routes cannot name it yet, so there is nothing
 * to send HTTP requests to: the row says so instead of showing a number. Its identity cache is
 * measured in-process by cache-memory.ts.
 */
import { type Scenario, Unavailable } from '../lib/scenario.ts'

export const forcegateSalesforce: Scenario = {
  id: 'fg-salesforce',
  label: 'forcegate Salesforce enforcement, cached introspection (TODO)',
  kind: 'forcegate',
  path: '/api/items',
  unavailable: 'not yet available (routes cannot use the Salesforce enforcer yet)',
  start: () => Promise.reject(new Unavailable('not yet available')),
}
