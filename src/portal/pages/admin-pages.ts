import type { PartnerView } from '../../partners/partner-service.ts'
import type { Contract } from '../../store/partner-store.ts'
import { type Html, html } from '../html.ts'
import { csrfField, page, type Viewer } from './layout.ts'

/** The usage plan an approval attaches: the contract's own when it has one, else the first. */
function planChoice(viewer: Viewer, c: Contract, plans: readonly string[]): Html {
  const chosen = c.usagePlan ?? plans[0]
  return html`<label for="plan-${c.clientId}-${c.api}">Usage plan</label>
    <select id="plan-${c.clientId}-${c.api}" name="plan">${plans.map(
      (name) => html`<option value="${name}" ${name === chosen && 'selected'}>${name}</option>`,
    )}${
      // A contract that already has a plan (manual approval) keeps one: "no limits" is not offered.
      c.usagePlan === undefined &&
      html`<option value="" ${chosen === undefined && 'selected'}>none (no limits)</option>`
    }</select>${csrfField(viewer)}`
}

/**
 * What an administrator can do with one contract: approve a pending one under a plan, move an
 * active one to another plan (the same approval, which keeps it active).
 */
function contractAction(viewer: Viewer, id: string, c: Contract, plans: readonly string[]): Html {
  if (c.status === 'pending')
    return html`<form method="post" action="/portal/admin/partners/${id}/approve">${planChoice(viewer, c, plans)}
      <input type="hidden" name="api" value="${c.api}">
      <button type="submit">Approve ${c.api}</button></form>`
  if (c.status === 'active' && plans.length > 0)
    return html`<form method="post" action="/portal/admin/partners/${id}/approve">${planChoice(viewer, c, plans)}
      <input type="hidden" name="api" value="${c.api}">
      <button type="submit" class="secondary">Change the plan of ${c.api}</button></form>`
  return html`<span class="muted">${c.status === 'active' ? 'no usage plans to choose from' : 'none'}</span>`
}

/**
 * Every partner app, with the admin powers: approve pending contracts under a usage plan, and
 * suspend or resume a partner (all of its apps).
 */
export function adminPage(
  viewer: Viewer,
  partners: readonly PartnerView[],
  notice?: string,
  plans: readonly string[] = [],
): Html {
  return page(
    'Admin',
    html`<h1>Partners</h1>
    ${notice !== undefined && html`<p class="notice" role="status">${notice}</p>`}
    ${partners.length === 0 && html`<p>No partner apps are registered.</p>`}
    ${partners.map((p) => {
      const id = encodeURIComponent(p.clientId)
      return html`<section class="card" aria-labelledby="p-${p.clientId}">
        <h2 id="p-${p.clientId}">${p.name} <span class="status ${p.status}">${p.status}</span></h2>
        <p class="muted">Partner: ${p.partnerId} (${p.partnerStatus}) · contact: ${p.contact ?? 'unknown'} · client <code>${p.clientId}</code></p>
        <table><thead><tr><th scope="col">API</th><th scope="col">Scopes</th><th scope="col">Plan</th><th scope="col">Status</th><th scope="col">Action</th></tr></thead>
        <tbody>${p.contracts.map(
          (c) => html`<tr><td data-label="API">${c.api}</td><td data-label="Scopes">${c.scopes.join(' ')}</td>
            <td data-label="Plan">${c.usagePlan ?? 'default'}</td>
            <td data-label="Status"><span class="status ${c.status}">${c.status}</span></td>
            <td data-label="Action">${contractAction(viewer, id, c, plans)}</td></tr>`,
        )}</tbody></table>
        <div class="actions">${
          p.partnerStatus === 'active'
            ? html`<form method="post" action="/portal/admin/partners/${id}/suspend">${csrfField(viewer)}
                <button type="submit" class="danger">Suspend ${p.name}</button>
                <span class="muted">suspends partner ${p.partnerId}: all of its apps</span></form>`
            : html`<form method="post" action="/portal/admin/partners/${id}/resume">${csrfField(viewer)}
                <button type="submit">Resume ${p.name}</button>
                <span class="muted">resumes partner ${p.partnerId}: all of its apps</span></form>`
        }</div>
      </section>`
    })}`,
    viewer,
  )
}

export function landingPage(): Html {
  return page(
    'Welcome',
    html`<h1>Build on our APIs with your Salesforce identity</h1>
    <div class="card">
      <p>Sign in with your Salesforce account to register client apps, get their credentials,
      see your contracts and usage, and try the APIs from your browser.</p>
      <p><a class="button" href="/portal/login">Sign in with Salesforce</a></p>
    </div>`,
  )
}

export function signedOutPage(orgUnreachable: boolean): Html {
  return page(
    'Signed out',
    html`<h1>You are signed out</h1>
    <div class="notice" role="status"><p>Your portal session has ended${
      orgUnreachable
        ? html`, but Salesforce could not be reached to end your Salesforce session: sign out there too if this is a shared device.`
        : html` here and at Salesforce.`
    }</p></div>
    <p><a class="button" href="/portal/login">Sign in again</a></p>`,
  )
}
