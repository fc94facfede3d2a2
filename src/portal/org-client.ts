import * as oidc from 'openid-client'
import { isLoopbackHttp } from './cookie-policy.ts'

/**
 * The relying-party side of a Salesforce org, on openid-client: discovery (once, retried after
 * a failure), the authorization URL, the code exchange with every check the library makes
 * (state, RFC 9207 `iss` when present or advertised, PKCE, ID token signature, `iss`, `aud`,
 * `azp`, `exp`, `iat`, `nonce`), userinfo with the `sub` match, and the end-session URL.
 * Every failure leaves here as a `LoginError` of one of three kinds: the one place that reads
 * the library's errors.
 */

export interface OrgClientSettings {
  /** My Domain URL; discovery must report exactly this issuer. */
  readonly issuer: string
  readonly clientId: string
  readonly clientSecret: string
}

export interface OrgClientDeps {
  readonly fetch?: typeof fetch
  /** Per request to the org; default 10. */
  readonly timeoutSeconds?: number
}

/** `denied` at Salesforce (the user said no); the org `unreachable`; or the response `invalid`. */
export type LoginFailureKind = 'denied' | 'unreachable' | 'invalid'

export class LoginError extends Error {
  readonly kind: LoginFailureKind
  /** Stable, log-safe reason, e.g. `authorization.access_denied`, `oidc.OAUTH_JWT_CLAIM_COMPARISON_FAILED`. */
  readonly reason: string

  constructor(kind: LoginFailureKind, reason: string, cause?: unknown) {
    super(`${kind}: ${reason}`, cause === undefined ? undefined : { cause })
    this.name = 'LoginError'
    this.kind = kind
    this.reason = reason
  }
}

export interface CodeFlowChecks {
  readonly state: string
  readonly nonce: string
  readonly codeVerifier: string
}

export interface CodeFlowResult {
  readonly accessToken: string
  readonly idToken: string | undefined
  /** Validated ID token claims. */
  readonly claims: Readonly<Record<string, unknown>>
}

export interface OrgClient {
  readonly issuer: string
  /** The authorization request for one login (S256 challenge derived from the verifier). */
  authorizationUrl(
    params: CodeFlowChecks & { readonly redirectUri: string; readonly scope: string },
    as?: ClientCredentials,
  ): Promise<URL>
  /** `callbackUrl` is the configured redirect URI plus the query the browser brought back. */
  completeCodeFlow(
    callbackUrl: URL,
    checks: CodeFlowChecks,
    as?: ClientCredentials,
    expectIdToken?: boolean,
  ): Promise<CodeFlowResult>
  /** Userinfo whose `sub` must equal the ID token's. */
  userinfo(accessToken: string, subject: string): Promise<Readonly<Record<string, unknown>>>
  /** Undefined when the org advertises no `end_session_endpoint`. */
  endSessionUrl(idToken: string | undefined, postLogoutRedirectUri: string): Promise<URL | undefined>
}

/** Another client of the same org (a partner's app in "try it"). */
export interface ClientCredentials {
  readonly clientId: string
  readonly clientSecret: string
}

export function createOrgClient(settings: OrgClientSettings, deps: OrgClientDeps = {}): OrgClient {
  const issuerUrl = new URL(settings.issuer)
  const insecure = isLoopbackHttp(issuerUrl)
  if (issuerUrl.protocol !== 'https:' && !insecure)
    throw new TypeError(`org issuer must use https (plain http only on loopback), got ${settings.issuer}`)
  const fetchImpl = deps.fetch
  const timeout = deps.timeoutSeconds ?? 10
  // openid-client trusts an ID token from the token endpoint on the strength of TLS alone
  // (OIDC Core 3.1.3.7 allows it); we verify its signature with the org's keys as well, so a
  // token signed by anyone else is refused even if transport trust were ever broken.
  const execute = [oidc.enableNonRepudiationChecks, ...(insecure ? [oidc.allowInsecureRequests] : [])]
  let discovered: Promise<oidc.Configuration> | undefined

  function tune(config: oidc.Configuration): oidc.Configuration {
    config.timeout = timeout
    if (fetchImpl !== undefined)
      config[oidc.customFetch] = (url, options) => fetchImpl(url, options as RequestInit)
    for (const run of execute) run(config)
    return config
  }

  function primary(): Promise<oidc.Configuration> {
    discovered ??= oidc
      .discovery(
        issuerUrl,
        settings.clientId,
        { client_secret: settings.clientSecret, id_token_signed_response_alg: 'RS256' },
        oidc.ClientSecretPost(settings.clientSecret),
        {
          execute,
          timeout,
          ...(fetchImpl === undefined
            ? {}
            : { [oidc.customFetch]: (url, options) => fetchImpl(url, options as RequestInit) }),
        },
      )
      .then(tune)
      .catch((err: unknown) => {
        discovered = undefined // the next login tries again: the org may be back
        throw classify(err)
      })
    return discovered
  }

  async function configFor(as: ClientCredentials | undefined): Promise<oidc.Configuration> {
    const base = await primary()
    if (as === undefined) return base
    return tune(
      new oidc.Configuration(
        base.serverMetadata(),
        as.clientId,
        { client_secret: as.clientSecret, id_token_signed_response_alg: 'RS256' },
        oidc.ClientSecretPost(as.clientSecret),
      ),
    )
  }

  return {
    issuer: settings.issuer,
    async authorizationUrl(params, as) {
      const config = await configFor(as)
      const challenge = await oidc.calculatePKCECodeChallenge(params.codeVerifier)
      return oidc.buildAuthorizationUrl(config, {
        redirect_uri: params.redirectUri,
        scope: params.scope,
        state: params.state,
        // A nonce is an OpenID parameter: orgs refuse it when `openid` is not requested.
        ...(params.scope.split(' ').includes('openid') ? { nonce: params.nonce } : {}),
        code_challenge: challenge,
        code_challenge_method: 'S256',
      })
    },
    async completeCodeFlow(callbackUrl, checks, as, expectIdToken = true) {
      const config = await configFor(as)
      try {
        const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          // Without `openid` granted (a partner app in "try it") there is no ID token to check.
          ...(expectIdToken ? { expectedNonce: checks.nonce, idTokenExpected: true } : {}),
        })
        const claims = tokens.claims()
        if (claims === undefined && expectIdToken) throw new LoginError('invalid', 'oidc.id_token_missing')
        return { accessToken: tokens.access_token, idToken: tokens.id_token, claims: { ...claims } }
      } catch (err) {
        throw classify(err)
      }
    },
    async userinfo(accessToken, subject) {
      const config = await primary()
      try {
        return { ...(await oidc.fetchUserInfo(config, accessToken, subject)) }
      } catch (err) {
        throw classify(err)
      }
    },
    async endSessionUrl(idToken, postLogoutRedirectUri) {
      const config = await primary()
      if (config.serverMetadata().end_session_endpoint === undefined) return undefined
      return oidc.buildEndSessionUrl(config, {
        post_logout_redirect_uri: postLogoutRedirectUri,
        client_id: settings.clientId,
        ...(idToken === undefined ? {} : { id_token_hint: idToken }),
      })
    },
  }
}

/** The choke point for openid-client's errors. */
export function classify(err: unknown): LoginError {
  if (err instanceof LoginError) return err
  if (err instanceof oidc.AuthorizationResponseError) {
    const code = /^[a-z_]{1,64}$/.test(err.error) ? err.error : 'other'
    return new LoginError(code === 'access_denied' ? 'denied' : 'invalid', `authorization.${code}`, err)
  }
  if (err instanceof oidc.ResponseBodyError)
    return new LoginError(err.status >= 500 ? 'unreachable' : 'invalid', `token.${safeCode(err.error)}`, err)
  const code = (err as { code?: unknown }).code
  const cause = (err as { cause?: unknown }).cause
  if (code === 'OAUTH_TIMEOUT' || code === 'OAUTH_ABORT')
    return new LoginError('unreachable', 'org.timeout', err)
  if (cause instanceof Response && cause.status >= 500)
    return new LoginError('unreachable', `org.status_${cause.status}`, err)
  // fetch() rejects with a TypeError whose cause is the socket error (ECONNREFUSED, ENOTFOUND…).
  if (err instanceof TypeError && (err.message === 'fetch failed' || cause instanceof Error))
    return new LoginError('unreachable', 'org.network', err)
  return new LoginError('invalid', `oidc.${typeof code === 'string' ? code : 'unexpected'}`, err)
}

function safeCode(value: string): string {
  return /^[a-z_]{1,64}$/.test(value) ? value : 'other'
}
