import type { PartnerView } from '../../partners/partner-service.ts'
import { type Html, html } from '../html.ts'
import { csrfField, page, type Viewer } from './layout.ts'

/** Every partner app, with the two admin powers: approve pending contracts, suspend or resume. */
export function adminPage(viewer: Viewer, partners: readonly PartnerView[], notice?: string): Html {
  return page(
    'Admin',
    html`<h1>Partners</h1>
    ${notice !== undefined && html`<p class="notice" role="status">${notice}</p>`}
    ${partners.length === 0 && html`<p>No partner apps are registered.</p>`}
    ${partners.map((p) => {
      const id = encodeURIComponent(p.clientId)
      return html`<section class="card" aria-labelledby="p-${p.clientId}">
        <h2 id="p-${p.clientId}">${p.name} <span class="status ${p.status}">${p.status}</span></h2>
        <p class="muted">Owner: ${p.contact ?? 'unknown'} · client <code>${p.clientId}</code></p>
        <table><thead><tr><th scope="col">API</th><th scope="col">Scopes</th><th scope="col">Plan</th><th scope="col">Status</th><th scope="col">Action</th></tr></thead>
        <tbody>${p.contracts.map(
          (c) => html`<tr><td data-label="API">${c.api}</td><td data-label="Scopes">${c.scopes.join(' ')}</td>
            <td data-label="Plan">${c.usagePlan ?? 'default'}</td>
            <td data-label="Status"><span class="status ${c.status}">${c.status}</span></td>
            <td data-label="Action">${
              c.status === 'pending' &&
              html`<form method="post" action="/portal/admin/partners/${id}/approve">${csrfField(viewer)}
                <input type="hidden" name="api" value="${c.api}">
                <button type="submit">Approve ${c.api}</button></form>`
            }</td></tr>`,
        )}</tbody></table>
        <div class="actions">${
          p.status === 'active'
            ? html`<form method="post" action="/portal/admin/partners/${id}/suspend">${csrfField(viewer)}
                <button type="submit" class="danger">Suspend ${p.name}</button></form>`
            : html`<form method="post" action="/portal/admin/partners/${id}/resume">${csrfField(viewer)}
                <button type="submit">Resume ${p.name}</button></form>`
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
