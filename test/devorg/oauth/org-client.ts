import type { DevOrg } from '../../../devorg/index.ts'
import type { SeedConnectedApp } from '../../../devorg/seed/seed-types.ts'

// Small HTTP helpers shared by the dev org's OAuth tests.

export function app(org: DevOrg, name: string): SeedConnectedApp {
  const found = org.seed.connectedApps.find((a) => a.name === name)
  if (!found) throw new Error(`no app ${name} in seed`)
  return found
}

export async function postForm(
  org: DevOrg,
  path: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${org.url}${path}`, { method: 'POST', headers, body: new URLSearchParams(form) })
  const text = await res.text()
  return {
    status: res.status,
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
    headers: res.headers,
  }
}

export async function passwordToken(org: DevOrg, appName: string, username: string, password: string) {
  const a = app(org, appName)
  const res = await postForm(org, '/services/oauth2/token', {
    grant_type: 'password',
    client_id: a.clientId,
    client_secret: a.clientSecret,
    username,
    password,
  })
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`)
  return res.json() as { access_token: string; id: string; scope: string }
}

export async function clientCredentialsToken(org: DevOrg, appName: string) {
  const a = app(org, appName)
  const res = await postForm(org, '/services/oauth2/token', {
    grant_type: 'client_credentials',
    client_id: a.clientId,
    client_secret: a.clientSecret,
  })
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`)
  return res.json() as { access_token: string; id: string; scope: string }
}

export async function introspect(org: DevOrg, callerName: string, token: string, hint?: string) {
  const a = app(org, callerName)
  const form: Record<string, string> = { token, client_id: a.clientId, client_secret: a.clientSecret }
  if (hint) form.token_type_hint = hint
  return postForm(org, '/services/oauth2/introspect', form)
}
