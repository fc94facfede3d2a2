/** The variables `npm start` writes to its env file for the other commands. */
const ENV_FILE_VARIABLES = new Set([
  'FORCEGATE_SF_CLIENT_SECRET',
  'FORCEGATE_PORTAL_CLIENT_SECRET',
  'FORCEGATE_INITIAL_ACCESS_TOKEN',
  'FORCEGATE_ENCRYPTION_KEY',
  'FORCEGATE_ADMIN_TOKEN',
])

/**
 * Where a variable comes from when it is one `npm start` writes: its env file, and how to load
 * it into a shell. Empty for any other variable.
 */
export function envFileHint(variable: string): string {
  return ENV_FILE_VARIABLES.has(variable)
    ? ' (`npm start` writes it to .forcegate/forcegate.env, under FORCEGATE_HOME: load it with `set -a; . .forcegate/forcegate.env; set +a`)'
    : ''
}
