/** What the pipeline uses from Salesforce token enforcement. */
export { lambdaAuthorizerContext } from './authorizer-context.ts'
export { ENFORCER_DEFAULTS } from './enforcer-settings.ts'
export { IDENTITY_HEADER_NAMES, identityHeaders } from './identity-headers.ts'
export { grantsRequiredScopes, SCOPES_IMPLIED_BY_FULL } from './required-scopes.ts'
export { createSalesforceEnforcer } from './salesforce-enforcer.ts'
export { REALM, type SalesforceFailureReason } from './salesforce-failure.ts'
export type {
  Explain,
  ExplainStep,
  SalesforceEnforcer,
  SalesforceEnforcerConfig,
  SalesforceEnforcerDeps,
  SalesforceIdentity,
  SalesforceOrgConfig,
  SalesforceTokenKind,
  ScopeMode,
  ScopeRequirement,
} from './types.ts'
