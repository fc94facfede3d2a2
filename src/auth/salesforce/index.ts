/** What the pipeline uses from Salesforce token enforcement. */
export { lambdaAuthorizerContext } from './authorizer-context.ts'
export { identityHeaders } from './identity-headers.ts'
export { createSalesforceEnforcer } from './salesforce-enforcer.ts'
export type { SalesforceEnforcer, SalesforceOrgConfig } from './types.ts'
