import type { PartnerView } from '../../partners/partner-service.ts'
import { type Html, html } from '../html.ts'
import type { DecisionTrail } from '../portal-deps.ts'
import { csrfField, page, type Viewer } from './layout.ts'

export interface TryState {
  readonly app: PartnerView | undefined
  /** True when a token for `app` is held for this session. */
  readonly hasToken: boolean
  readonly path: string
  readonly error?: string
}

export function tryPage(viewer: Viewer, apps: readonly PartnerView[], state: TryState): Html {
  const app = state.app
  const step1 = html`<form method="get" action="/portal/try" class="card">
      <label for="app">App</label>
      <select id="app" name="app">${apps.map(
        (a) =>
          html`<option value="${a.clientId}" ${a.clientId === app?.clientId && 'selected'}>${a.name}</option>`,
      )}</select>
      <div class="actions"><button type="submit" class="secondary">Choose</button></div></form>`
  if (app === undefined)
    return page(
      'Try it',
      html`<h1>Try it</h1>
      ${state.error !== undefined && html`<div class="alert" role="alert"><p>${state.error}</p></div>`}${
        apps.length === 0
          ? html`<p>Register an app first: <a href="/portal/apps/new">register an app</a>.</p>`
          : step1
      }`,
      viewer,
    )
  const id = app.clientId
  return page(
    'Try it',
    html`<h1>Try it with ${app.name}</h1>
    ${state.error !== undefined && html`<div class="alert" role="alert"><p>${state.error}</p></div>`}
    ${step1}
    <h2>1. Get a token</h2>
    ${
      state.hasToken
        ? html`<p class="notice" role="status">A token for this app is ready (held by the portal for this session only).</p>`
        : html`<p>The portal runs the authorization code flow (PKCE) for this app at Salesforce, as you.
          Your app's client secret is needed once for the code exchange; the portal forgets it afterwards.</p>`
    }
    <form method="post" action="/portal/try/authorize" class="card">${csrfField(viewer)}
      <input type="hidden" name="app" value="${id}">
      <label for="client-secret">Client secret of ${app.name}</label>
      <input type="password" id="client-secret" name="clientSecret" autocomplete="off" required>
      <div class="actions"><button type="submit" class="${state.hasToken ? 'secondary' : ''}">${state.hasToken ? 'Get a new token' : 'Get a token'}</button></div>
    </form>
    <h2>2. Call the API</h2>
    <form method="post" action="/portal/try/call" class="card">${csrfField(viewer)}
      <input type="hidden" name="app" value="${id}">
      <label for="path">Path on the gateway</label>
      <input type="text" id="path" name="path" value="${state.path}" required pattern="/.*">
      <div class="actions"><button type="submit" ${!state.hasToken && 'disabled'}>Send GET</button></div>
    </form>`,
    viewer,
  )
}

export interface TryResult {
  readonly request: {
    readonly method: string
    readonly url: string
    readonly headers: readonly (readonly [string, string])[]
  }
  readonly response:
    | {
        readonly status: number
        readonly headers: readonly (readonly [string, string])[]
        readonly body: string
      }
    | { readonly error: string }
  readonly trail: DecisionTrail | undefined
}

const headerLines = (headers: readonly (readonly [string, string])[]) =>
  headers.map(([k, v]) => `${k}: ${v}`).join('\n')

export function tryResultPage(viewer: Viewer, app: PartnerView, path: string, result: TryResult): Html {
  const r = result.response
  return page(
    'Try it: result',
    html`<h1>Try it with ${app.name}: result</h1>
    <h2>Request</h2>
    <pre data-testid="try-request">${result.request.method} ${result.request.url}\n${headerLines(result.request.headers)}</pre>
    <h2>Response</h2>
    ${
      'error' in r
        ? html`<div class="alert" role="alert"><p>${r.error}</p></div>`
        : html`<pre data-testid="try-response">HTTP ${r.status}\n${headerLines(r.headers)}\n\n${r.body}</pre>`
    }
    <h2>Decision trail</h2>
    ${
      result.trail === undefined
        ? html`<p class="muted">The gateway did not report its decisions for this request.</p>`
        : html`<ol class="trail" data-testid="try-trail">${result.trail.steps.map(
            (s) => html`<li><strong>${s.step}</strong> <code>${JSON.stringify(s.detail)}</code></li>`,
          )}<li><strong>result</strong> ${result.trail.status}: ${result.trail.outcome}</li></ol>`
    }
    <div class="actions"><a class="button secondary" href="/portal/try?app=${encodeURIComponent(app.clientId)}&amp;path=${encodeURIComponent(path)}">Back to try it</a></div>`,
    viewer,
  )
}
