/** Browser login for sites behind Salesforce, and the developer portal built on it. */
export { BrowserLogin, type BrowserLoginOptions, type Redirect } from './browser-login.ts'
export { type CookiePolicy, cookiePolicyFor } from './cookie-policy.ts'
export { createOrgClient, LoginError, type OrgClient, type OrgClientSettings } from './org-client.ts'
export { createPortal, type Portal } from './portal.ts'
export type { ApiOffer, DecisionTrail, PortalDeps, PortalPartners, UsageFigures } from './portal-deps.ts'
export {
  type SessionRouteAuth,
  type SessionRouteAuthOptions,
  sessionRouteAuth,
} from './session-route-auth.ts'
export { sessionSecretBox } from './session-secret-box.ts'
export type { BrowserSession, LoginTransaction, SessionStore } from './session-store.ts'
export { SqliteSessionStore, type SqliteSessionStoreOptions } from './sqlite-session-store.ts'
