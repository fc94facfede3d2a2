import type { IncomingMessage, ServerResponse } from 'node:http'
import type Provider from 'oidc-provider'
import type { Directory } from '../directory.ts'
import { parseForm, readBody } from '../http/body.ts'
import { escapeHtml, page } from '../http/html.ts'
import { passwordMatches } from './grants/user-grants.ts'

// The login and approval pages of the authorization code flow: plain HTML forms, so that a
// browser and a script with a cookie jar can both drive them.

const SCOPE_TEXT: Record<string, string> = {
  api: 'Manage user data via APIs',
  refresh_token: 'Perform requests at any time',
  offline_access: 'Perform requests at any time',
  openid: 'Access unique user identifiers',
  profile: 'Access your basic information',
  email: 'Access your email address',
  id: 'Access the identity URL service',
  web: 'Manage user data via Web browsers',
  full: 'Full access',
}

function loginPage(uid: string, appName: string, username: string, error?: string): string {
  return page(
    'Login | forcegate Dev Org',
    `<h1>Log in</h1><p>to continue to <strong>${escapeHtml(appName)}</strong></p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="username">Username</label><input id="username" name="username" autocomplete="username" value="${escapeHtml(username)}" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log In</button></form>`,
  )
}

function approvalPage(uid: string, appName: string, scopes: string[]): string {
  const items = scopes
    .map((s) => `<li>${escapeHtml(SCOPE_TEXT[s] ?? s)} <code>${escapeHtml(s)}</code></li>`)
    .join('')
  return page(
    'Allow Access? | forcegate Dev Org',
    `<h1>Allow Access?</h1><p><strong>${escapeHtml(appName)}</strong> is asking to:</p><ul>${items}</ul>
<form method="post" action="/interaction/${escapeHtml(uid)}/approve">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></form>`,
  )
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  })
  res.end(body)
}

/** Handles `/interaction/<uid>[/login|/approve]`; returns false when the path is not one of them. */
export async function handleInteraction(
  provider: Provider,
  directory: Directory,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<boolean> {
  const m = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|approve))?$/.exec(pathname)
  if (!m?.[1]) return false
  const [, uid, action] = m
  let details: Details
  try {
    details = await provider.interactionDetails(req, res)
  } catch {
    // No interaction cookie, or the interaction expired: nothing to resume.
    html(
      res,
      400,
      page('Error', '<h1>This login page has expired</h1><p>Start again from the application.</p>'),
    )
    return true
  }
  if (details.uid !== uid) {
    html(
      res,
      400,
      page('Error', '<h1>This login page has expired</h1><p>Start again from the application.</p>'),
    )
    return true
  }
  const client = await provider.Client.find(String(details.params.client_id))
  const appName = client?.clientName ?? 'this application'
  const prompt = details.prompt.name

  if (req.method === 'GET' && action === undefined) {
    if (prompt === 'login') html(res, 200, loginPage(uid, appName, String(details.params.login_hint ?? '')))
    else
      html(
        res,
        200,
        approvalPage(
          uid,
          appName,
          String(details.params.scope ?? '')
            .split(' ')
            .filter(Boolean),
        ),
      )
    return true
  }
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'GET, POST' }).end()
    return true
  }
  const form = parseForm(await readBody(req))
  if (action === 'login' && prompt === 'login') {
    const username = form.get('username') ?? ''
    const user = directory.userByName(username)
    if (!user || !passwordMatches(user.password, form.get('password') ?? '') || !user.active) {
      const message =
        user && !user.active ? 'Your user is inactive.' : 'Please check your username and password.'
      html(res, 200, loginPage(uid, appName, username, message))
      return true
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.id } },
      { mergeWithLastSubmission: false },
    )
    return true
  }
  if (action === 'approve' && prompt === 'consent') {
    if (form.get('decision') !== 'allow') {
      await provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: 'end-user denied authorization',
      })
      return true
    }
    const grantId = await saveGrant(provider, details)
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true })
    return true
  }
  html(res, 400, page('Error', '<h1>Unexpected step</h1><p>Start again from the application.</p>'))
  return true
}

type Details = Awaited<ReturnType<Provider['interactionDetails']>>

async function saveGrant(provider: Provider, details: Details): Promise<string> {
  const accountId = details.session?.accountId
  const clientId = String(details.params.client_id)
  const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined
  const grant = existing ?? new provider.Grant({ accountId, clientId })
  const missing = details.prompt.details as {
    missingOIDCScope?: string[]
    missingOIDCClaims?: string[]
    missingResourceScopes?: Record<string, string[]>
  }
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '))
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims)
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes.join(' '))
  }
  return grant.save()
}
