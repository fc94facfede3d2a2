import { ARCHIVE_USAGE } from './archive-command.ts'
import { EXPLAIN_USAGE } from './explain-command.ts'
import { EXPORT_USAGE } from './export-command.ts'
import { LOGIN_USAGE } from './login-command.ts'
import { MIGRATE_USAGE } from './migrate-command.ts'
import { PARTNERS_USAGE } from './partners-command.ts'
import { RELAY_USAGE } from './relay-command.ts'
import { SERVE_USAGE } from './serve-command.ts'
import { SYNC_USAGE } from './sync-command.ts'

export function usage(): string {
  return `Usage: forcegate <command> [options]

Commands:
  serve     Serve an API Gateway definition (OpenAPI 3 with AWS extensions)
  explain   Show why a request would be allowed or refused (the decision trail)
  partners  Register and manage partner client apps (dynamic client registration)
  login     Get an access token for an app by the code flow with PKCE
  relay     Relay Salesforce platform events to routes or Lambda functions; status, dead letters
  archive   Archive Opportunities with their files to S3 or a folder; verify an archive
  sync      Back-fill customers into Salesforce as Contacts (resumable, with an error report)
  export    Export the API to AWS: openapi.json for API Gateway's importer (--check validates)
  migrate   Copy a SQLite partner store into PostgreSQL (stores.postgres)
  devorg    Run the dev org, a local Salesforce-compatible org
  --help    Show this help (also: forcegate <command> --help)
  --version Show the version

${SERVE_USAGE}
${EXPLAIN_USAGE}
${LOGIN_USAGE}
${PARTNERS_USAGE}
${RELAY_USAGE}
${SYNC_USAGE}
${ARCHIVE_USAGE}
${EXPORT_USAGE}
${MIGRATE_USAGE}
forcegate devorg [--port <n>] [--host <addr>] [--seed <seed.json>] [--data <dir>] [--reseed]
                 [--faults <json>] [--pubsub-port <n>]
  The dev org, a local Salesforce-compatible org ('forcegate devorg --help' says more).

Every verb answers --help. Usage errors exit with status 2, configuration errors with 1.

Environment:
  FORCEGATE_PORT          serve's port when --port is not given (npm start: the gateway, 8080)
  FORCEGATE_DEVORG_PORT   devorg's port when --port is not given (npm start: the dev org, 4400)
  FORCEGATE_PUBSUB_PORT   npm start: the dev org's Pub/Sub API port (7443)
  FORCEGATE_HOME          npm start's state folder (.forcegate); partners finds its store there
`
}
