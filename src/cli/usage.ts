import { ARCHIVE_USAGE } from './archive-command.ts'
import { RELAY_USAGE } from './relay-command.ts'
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
  devorg    Run the dev org, a local Salesforce-compatible org
  --help    Show this help
  --version Show the version

forcegate serve --api <openapi.yaml|json> [options]
  --api <file>         OpenAPI 3.0/3.1 document with x-amazon-apigateway-* extensions (required)
  --functions <dir>    Folder of Lambda handler modules NAME.{ts,mjs,js}; repeatable
                       (default: the functions folder beside the API file)
  --config <file>      forcegate.yaml: listener, limits, stage variables, logging
  --port <n>           Port to listen on (default 8080; 0 picks a free port)
  --host <addr>        Address to listen on (default 127.0.0.1)
  --stage <name>       Stage name shown in events (REST default "dev", HTTP API "$default")

forcegate explain --api <file> --request "METHOD /path" [--request …] [-H "Name: value"]… [--json]
  Runs each request through routing and the authorizer (never the integration), in order,
  and prints every decision: route, identity sources (hashed), cache hit or invocation, the
  method ARN and the policy statement that decided, and the final status.

forcegate login --org <url> --client-id <id> [--redirect-uri http://127.0.0.1:8765/callback]
                [--scope "api refresh_token"] [--json]
  Client secret from FORCEGATE_CLIENT_SECRET (or --client-secret). Prints the authorization
  URL, waits for the browser on the loopback redirect URI, prints the access token.

${RELAY_USAGE}
${SYNC_USAGE}
${ARCHIVE_USAGE}
forcegate devorg [--port <n>] [--host <addr>] [--seed <seed.json>] [--data <dir>]
`
}
