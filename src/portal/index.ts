/** What the pipeline uses to open the developer portal and browser sessions. */
export { createPortal } from './portal.ts'
export { PostgresSessionStore } from './postgres-session-store.ts'
export { sessionRouteAuth } from './session-route-auth.ts'
export { sessionSecretBox } from './session-secret-box.ts'
export { SqliteSessionStore } from './sqlite-session-store.ts'
