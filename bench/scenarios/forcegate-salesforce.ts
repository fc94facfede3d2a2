/**
 * forcegate: Salesforce enforcement (opaque tokens checked by introspection, decisions cached).
 * Not measurable until the enforcement lands in src/auth/salesforce and the pipeline; the row
 * says so instead of showing a number.
 */
import { type Scenario, Unavailable } from '../lib/scenario.ts'

export const forcegateSalesforce: Scenario = {
  id: 'fg-salesforce',
  label: 'forcegate Salesforce enforcement, cached introspection (TODO)',
  kind: 'forcegate',
  path: '/api/items',
  unavailable: 'not yet available (Salesforce enforcement has not landed)',
  start: () => Promise.reject(new Unavailable('not yet available')),
}
