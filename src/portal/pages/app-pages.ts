import type { PartnerCredentials, PartnerView } from '../../partners/partner-service.ts'
import type { UsagePlan } from '../../partners/usage-plans.ts'
import type { Contract } from '../../store/partner-store.ts'
import { type Html, html } from '../html.ts'
import type { ApiOffer, UsageFigures } from '../portal-deps.ts'
import { csrfField, page, type Viewer } from './layout.ts'

const status = (value: string) => html`<span class="status ${value}">${value}</span>`

export function appsPage(viewer: Viewer, apps: readonly PartnerView[], notice?: string): Html {
  const rows = apps.map(
    (a) => html`<tr>
      <td data-label="App"><a href="/portal/apps/${encodeURIComponent(a.clientId)}">${a.name}</a></td>
      <td data-label="Client id"><code>${a.clientId.slice(0, 12)}…</code></td>
      <td data-label="Status">${status(a.status)}</td>
      <td data-label="Contracts">${a.contracts.map((c) => html`${c.api} (${status(c.status)}) `)}</td>
    </tr>`,
  )
  return page(
    'My apps',
    html`<h1>My apps</h1>
    ${notice !== undefined && html`<p class="notice" role="status">${notice}</p>`}
    ${
      apps.length === 0
        ? html`<div class="card"><p>You have no apps yet.</p>
            <p><a class="button" href="/portal/apps/new">Register an app</a></p></div>`
        : html`<table><caption class="muted">Client apps registered by you (${viewer.username})</caption>
            <thead><tr><th scope="col">App</th><th scope="col">Client id</th><th scope="col">Status</th><th scope="col">Contracts</th></tr></thead>
            <tbody>${rows}</tbody></table>
            <p><a class="button" href="/portal/apps/new">Register another app</a></p>`
    }`,
    viewer,
  )
}

function planText(plan: UsagePlan | undefined): string {
  if (plan === undefined) return 'no limits'
  const parts: string[] = []
  if (plan.quota !== undefined)
    parts.push(`${plan.quota.limit} requests per ${plan.quota.period.toLowerCase()}`)
  if (plan.throttle !== undefined)
    parts.push(`${plan.throttle.rateLimit}/s (burst ${plan.throttle.burstLimit})`)
  return parts.length === 0 ? 'no limits' : parts.join(', ')
}

export interface ContractRow {
  readonly contract: Contract
  readonly plan: UsagePlan | undefined
  readonly usage: UsageFigures | undefined
}

export function appPage(
  viewer: Viewer,
  app: PartnerView,
  contracts: readonly ContractRow[],
  notice?: string,
): Html {
  const id = encodeURIComponent(app.clientId)
  return page(
    app.name,
    html`<h1>${app.name}</h1>
    ${notice !== undefined && html`<p class="notice" role="status">${notice}</p>`}
    <div class="card">
      <p>Status: ${status(app.status)}${app.partnerStatus === 'suspended' && html` <span class="muted">(your partner account is suspended: every app of yours is refused)</span>`}</p>
      <p>Client id: <code>${app.clientId}</code></p>
      <p>Redirect URIs:</p><ul>${app.redirectUris.map((u) => html`<li><code>${u}</code></li>`)}</ul>
      <p>Scopes granted by the org: ${app.grantedScopes.join(' ') || 'none'}</p>
      ${app.rotatedFrom !== undefined && html`<p class="muted">Replaces client <code>${app.rotatedFrom}</code> (rotated).</p>`}
    </div>
    <h2>Contracts and usage</h2>
    <table><thead><tr><th scope="col">API</th><th scope="col">Scopes</th><th scope="col">Plan</th><th scope="col">Usage</th><th scope="col">Status</th></tr></thead>
    <tbody>${contracts.map(
      (r) => html`<tr><td data-label="API">${r.contract.api}</td>
        <td data-label="Scopes">${r.contract.scopes.join(' ')}</td>
        <td data-label="Plan">${
          r.contract.usagePlan === undefined && r.contract.status === 'pending'
            ? html`<span class="muted">chosen at approval</span>`
            : html`${r.contract.usagePlan ?? 'none'} <span class="muted">(${planText(r.plan)})</span>`
        }</td>
        <td data-label="Usage">${
          r.usage === undefined
            ? html`<span class="muted">not reported</span>`
            : html`<meter min="0" max="${r.usage.limit}" value="${r.usage.used}" aria-label="Requests used">${r.usage.used}</meter>
              ${r.usage.used} of ${r.usage.limit} this ${r.usage.period.toLowerCase()}`
        }</td>
        <td data-label="Status">${status(r.contract.status)}</td></tr>`,
    )}</tbody></table>
    ${contracts.some((r) => r.contract.status === 'pending') && html`<p class="muted">Pending contracts wait for an administrator's approval; calls under them are refused until then.</p>`}
    <h2>Actions</h2>
    <div class="actions">
      <a class="button secondary" href="/portal/try?app=${id}">Try it</a>
      <form method="post" action="/portal/apps/${id}/rotate">${csrfField(viewer)}
        <button type="submit" class="secondary">Rotate the secret</button></form>
      <a class="button danger" href="/portal/apps/${id}/delete">Delete this app…</a>
    </div>
    <p class="muted">Rotating registers a new client with the same settings and removes the old one at the org: both the client id and the secret change, and tokens of the old client stop working.</p>`,
    viewer,
  )
}

export interface RegisterForm {
  readonly name: string
  readonly redirectUris: string
  readonly apis: readonly string[]
  readonly scopes: string
  readonly tryIt: boolean
}

export const EMPTY_REGISTER_FORM: RegisterForm = {
  name: '',
  redirectUris: '',
  apis: [],
  scopes: 'api',
  tryIt: true,
}

export function registerPage(
  viewer: Viewer,
  form: RegisterForm,
  offers: readonly ApiOffer[],
  tryCallback: string,
  error?: string,
): Html {
  const apiInput =
    offers.length > 0
      ? html`<fieldset><legend>APIs</legend><p class="hint">Each API you choose becomes a contract.</p>
        ${offers.map(
          (
            o,
          ) => html`<label class="check"><input type="checkbox" name="api" value="${o.name}" ${form.apis.includes(o.name) && 'checked'}>
            <span>${o.title} <code>${o.name}</code> <span class="muted">scopes: ${o.scopes.join(' ')}; ${
              o.plan === undefined ? "needs an administrator's approval" : html`plan ${o.plan}`
            }</span></span></label>`,
        )}</fieldset>`
      : html`<div class="alert" role="alert"><p>No APIs are open for self-registration here: ask an administrator.</p></div>`
  return page(
    'Register an app',
    html`<h1>Register an app</h1>
    ${error !== undefined && html`<div class="alert" role="alert"><p>${error}</p></div>`}
    <form method="post" action="/portal/apps" class="card">${csrfField(viewer)}
      <label for="name">App name</label>
      <input type="text" id="name" name="name" value="${form.name}" required maxlength="200" autocomplete="off">
      <label for="redirect-uris">Redirect URIs</label>
      <p class="hint" id="redirect-hint">One per line, exact (https; http only on 127.0.0.1 or localhost).</p>
      <textarea id="redirect-uris" name="redirectUris" aria-describedby="redirect-hint">${form.redirectUris}</textarea>
      ${apiInput}
      <label for="scopes">Scopes requested</label>
      <p class="hint" id="scopes-hint">Space-separated, e.g. <code>api</code>; only scopes the chosen APIs list.</p>
      <input type="text" id="scopes" name="scopes" value="${form.scopes}" aria-describedby="scopes-hint" required>
      <label class="check"><input type="checkbox" name="tryIt" value="1" ${form.tryIt && 'checked'}>
        <span>Let me try it from this portal (adds <code>${tryCallback}</code> as a redirect URI)</span></label>
      <div class="actions"><button type="submit">Register</button></div>
    </form>`,
    viewer,
  )
}

/** The only page that ever shows a client secret: right after registration or rotation. */
export function secretOncePage(
  viewer: Viewer,
  app: PartnerView,
  credentials: PartnerCredentials,
  replaced?: { readonly clientId: string; readonly removed: boolean },
): Html {
  const id = encodeURIComponent(credentials.clientId)
  return page(
    replaced === undefined ? 'App registered' : 'Secret rotated',
    html`<h1>${replaced === undefined ? 'App registered' : 'Secret rotated'}: ${app.name}</h1>
    <div class="notice" role="status"><p><strong>Copy the client secret now.</strong> It is shown only once; the portal does not keep it and cannot show it again.</p></div>
    <div class="card">
      <label for="client-id">Client id</label>
      <input type="text" id="client-id" readonly value="${credentials.clientId}">
      <label for="client-secret">Client secret</label>
      <p class="secret" id="client-secret" data-testid="client-secret">${credentials.clientSecret ?? '(the org issued no secret)'}</p>
      ${
        replaced !== undefined &&
        html`<p>The previous client <code>${replaced.clientId}</code> ${
          replaced.removed
            ? 'was removed at the org.'
            : 'could not be removed at the org yet and is suspended.'
        }</p>`
      }
    </div>
    <div class="actions"><a class="button" href="/portal/apps/${id}">I have saved it: go to the app</a></div>`,
    viewer,
  )
}

/** Deleting is for good: the page says what goes and asks for a second, deliberate click. */
export function confirmDeletePage(viewer: Viewer, app: PartnerView): Html {
  const id = encodeURIComponent(app.clientId)
  return page(
    `Delete ${app.name}?`,
    html`<h1>Delete ${app.name}?</h1>
    <div class="alert" role="alert"><p>The client <code>${app.clientId}</code> is removed at the org and its
    contracts (${app.contracts.map((c) => c.api).join(', ') || 'none'}) end: tokens of this app stop working. This cannot be undone.</p></div>
    <div class="actions">
      <form method="post" action="/portal/apps/${id}/delete">${csrfField(viewer)}
        <input type="hidden" name="confirm" value="${app.clientId}">
        <button type="submit" class="danger">Yes, delete ${app.name}</button></form>
      <a class="button secondary" href="/portal/apps/${id}">No, keep it</a>
    </div>`,
    viewer,
  )
}
