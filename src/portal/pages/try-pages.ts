import type { PartnerView } from '../../partners/partner-service.ts'
import { type Html, html } from '../html.ts'
import type { DecisionTrail } from '../portal-deps.ts'
import { trailTable } from '../trail-table.ts'
import { TRY_METHODS, type TryMethod, type TryRoute } from '../try-request.ts'
import { csrfField, page, type Viewer } from './layout.ts'

export interface TryState {
  readonly app: PartnerView | undefined
  /** True when a token for `app` is held for this session. */
  readonly hasToken: boolean
  readonly path: string
  readonly method?: TryMethod
  readonly body?: string
  /** The API's routes (from its document), to pick from instead of guessing paths. */
  readonly routes?: readonly TryRoute[]
  readonly error?: string
}

function routeList(app: PartnerView, routes: readonly TryRoute[]): Html {
  if (routes.length === 0) return html``
  const id = encodeURIComponent(app.clientId)
  return html`<details class="card routes" open><summary>Routes of the API (${routes.length})</summary>
    <p class="hint">Choose one to fill in the method and path; replace <code>{parameters}</code> with values.</p>
    <ul class="routes">${routes.map((r) => {
      const method = TRY_METHODS.find((m) => m === r.method) ?? 'GET'
      const href = `/portal/try?app=${id}&method=${method}&path=${encodeURIComponent(r.path)}`
      return html`<li><a href="${href}"><span class="method">${r.method}</span> <code>${r.path}</code></a></li>`
    })}</ul></details>`
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
    ${routeList(app, state.routes ?? [])}
    <form method="post" action="/portal/try/call" class="card">${csrfField(viewer)}
      <input type="hidden" name="app" value="${id}">
      <div class="request-line">
        <div><label for="method">Method</label>
        <select id="method" name="method">${TRY_METHODS.map(
          (m) => html`<option value="${m}" ${m === (state.method ?? 'GET') && 'selected'}>${m}</option>`,
        )}</select></div>
        <div class="grow"><label for="path">Path on the gateway</label>
        <input type="text" id="path" name="path" value="${state.path}" required pattern="/.*"></div>
      </div>
      <label for="body">Request body (JSON)</label>
      <p class="hint" id="body-hint">Sent as <code>application/json</code> with POST, PUT and PATCH; ignored with GET and DELETE.</p>
      <textarea id="body" name="body" class="code" aria-describedby="body-hint" spellcheck="false">${state.body ?? ''}</textarea>
      <div class="actions"><button type="submit" ${!state.hasToken && 'disabled'}>Send the request</button></div>
    </form>`,
    viewer,
  )
}

export interface TryResult {
  readonly request: {
    readonly method: string
    readonly url: string
    readonly headers: readonly (readonly [string, string])[]
    readonly body?: string
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

function trailSection(trail: DecisionTrail | undefined, realStatus: number | undefined): Html {
  if (trail === undefined)
    return html`<p class="muted">The gateway did not report its decisions for this request.</p>`
  const table = trailTable(trail, realStatus)
  return html`<table class="trail" data-testid="try-trail"><caption class="muted">What the gateway decided, stage by stage</caption>
    <thead><tr><th scope="col">Step</th><th scope="col">Decision</th><th scope="col">Details</th></tr></thead>
    <tbody>${table.rows.map(
      (
        row,
      ) => html`<tr><th scope="row" data-label="Step">${row.step}</th><td data-label="Decision">${row.decision}</td>
        <td data-label="Details">${
          row.details.length === 0
            ? ''
            : html`<dl class="details">${row.details.map(([k, v]) => html`<dt>${k}</dt><dd><code>${v}</code></dd>`)}</dl>`
        }</td></tr>`,
    )}
    <tr class="result"><th scope="row" data-label="Step">result</th><td data-label="Decision" data-testid="try-trail-status">${table.result.status}</td>
      <td data-label="Details">${table.result.text}</td></tr></tbody></table>`
}

export function tryResultPage(
  viewer: Viewer,
  app: PartnerView,
  again: { readonly path: string; readonly method: TryMethod },
  result: TryResult,
): Html {
  const r = result.response
  const back = `/portal/try?app=${encodeURIComponent(app.clientId)}&method=${again.method}&path=${encodeURIComponent(again.path)}`
  return page(
    'Try it: result',
    html`<h1>Try it with ${app.name}: result</h1>
    <h2>Request</h2>
    <pre data-testid="try-request">${result.request.method} ${result.request.url}\n${headerLines(result.request.headers)}${
      result.request.body !== undefined && `\n\n${result.request.body}`
    }</pre>
    <h2>Response</h2>
    ${
      'error' in r
        ? html`<div class="alert" role="alert"><p>${r.error}</p></div>`
        : html`<pre data-testid="try-response">HTTP ${r.status}\n${headerLines(r.headers)}\n\n${r.body}</pre>`
    }
    <h2>Decision trail</h2>
    ${trailSection(result.trail, 'error' in r ? undefined : r.status)}
    <div class="actions"><a class="button secondary" href="${back}">Back to try it</a></div>`,
    viewer,
  )
}
