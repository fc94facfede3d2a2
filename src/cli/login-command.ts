import { createServer } from 'node:http'
import { parseArgs } from 'node:util'
import { orgUrl } from './org-url.ts'
import { type CliIo, UsageError } from './run-cli.ts'

const DEFAULT_REDIRECT = 'http://127.0.0.1:8765/callback'

export const LOGIN_USAGE = `forcegate login --org <url> --client-id <id> [options]
  Prints the org's authorization URL, waits for the browser on the loopback redirect URI
  (authorization code flow with PKCE) and prints the access token.
  --org <url>              the org (default FORCEGATE_ORG_URL)
  --client-id <id>         the app's client id (required)
  --client-secret <secret> the app's secret (better: FORCEGATE_CLIENT_SECRET, kept out of ps)
  --redirect-uri <url>     loopback http URL to listen on (default ${DEFAULT_REDIRECT})
  --scope "<scopes>"       scopes to ask for (default "api refresh_token")
  --timeout-seconds <n>    how long to wait for the browser (default 300)
  --json                   the whole token response as JSON instead of the access token alone
  --help                   show this help
`

/**
 * `forcegate login`: gets an access token for a partner app by the authorization code flow
 * with PKCE, the way a partner would: it prints the org's authorization URL, waits on the
 * loopback redirect URI for the browser to come back, and exchanges the code. The token goes
 * to stdout (alone, or as JSON with --json) so that `TOKEN=$(forcegate login …)` works.
 */
export async function loginCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let values: ReturnType<typeof parse>['values']
  try {
    values = parse(argv).values
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  if (values.help === true) {
    io.out(LOGIN_USAGE)
    return 0
  }
  const org = values.org ?? process.env.FORCEGATE_ORG_URL
  const clientId = values['client-id']
  const clientSecret = process.env.FORCEGATE_CLIENT_SECRET ?? values['client-secret']
  if (org === undefined || clientId === undefined)
    throw new UsageError('login needs --org <url> and --client-id <id>')
  const redirect = new URL(values['redirect-uri'] ?? DEFAULT_REDIRECT)
  if (redirect.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(redirect.hostname)) {
    throw new UsageError('--redirect-uri must be a loopback http:// URL that this command can listen on')
  }
  const issuer = orgUrl(org, values.org === undefined ? 'FORCEGATE_ORG_URL' : '--org')
  // The OpenID client loads for this command only, not for every forcegate command.
  const oidc = await import('openid-client')
  const config = await oidc.discovery(issuer, clientId, clientSecret, undefined, {
    ...(issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}),
  })
  const verifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirect.href,
    scope: values.scope ?? 'api refresh_token',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  })
  io.err(`Open this URL in a browser and sign in:\n\n  ${url.href}\n\nWaiting for ${redirect.href} …\n`)
  const callback = await waitForCallback(redirect, Number(values['timeout-seconds'] ?? 300) * 1000)
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier,
    expectedState: state,
  })
  io.out(values.json === true ? `${JSON.stringify(tokens, null, 2)}\n` : `${tokens.access_token}\n`)
  return 0
}

/** Listens on the redirect URI once; resolves with the full callback URL the browser brought. */
function waitForCallback(redirect: URL, timeoutMs: number): Promise<URL> {
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', redirect.origin)
      if (url.pathname !== redirect.pathname) {
        res.writeHead(404).end()
        return
      }
      const failed = url.searchParams.has('error')
      res.writeHead(failed ? 400 : 200, { 'content-type': 'text/plain; charset=utf-8' })
      res.end(
        failed
          ? `Sign-in failed: ${url.searchParams.get('error')}. You can close this tab.\n`
          : 'Signed in. You can close this tab.\n',
      )
      clearTimeout(timer)
      server.close()
      resolve(url)
    })
    const timer = setTimeout(() => {
      server.close()
      reject(new Error(`no sign-in came back to ${redirect.href} within ${timeoutMs / 1000} s`))
    }, timeoutMs)
    server.once('error', (err) => {
      clearTimeout(timer)
      reject(new Error(`cannot listen on ${redirect.host}: ${(err as Error).message}`))
    })
    server.listen(Number(redirect.port || 80), redirect.hostname.replace(/^\[|\]$/g, ''))
  })
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      org: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'redirect-uri': { type: 'string' },
      scope: { type: 'string' },
      'timeout-seconds': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}
