import { type Html, html } from '../html.ts'
import { type ContractRow, LIST_LIMIT, type OpportunityRow, sameId } from '../opportunity-soql.ts'
import { csrfField, page, type Viewer } from './layout.ts'

/** The Opportunities pages: the deals the org lets the user see, one deal with its contracts. */

const link = (o: OpportunityRow) => `/portal/opportunities/${encodeURIComponent(o.id)}`

function amount(value: number | undefined): string {
  return value === undefined ? '' : value.toLocaleString('en-US', { maximumFractionDigits: 2 })
}

function ownership(viewer: Viewer & { readonly userId: string }, o: OpportunityRow): Html {
  return sameId(o.ownerId, viewer.userId) ? html`yours` : html`<span class="muted">shared with you</span>`
}

export function opportunitiesPage(
  viewer: Viewer & { readonly userId: string },
  rows: readonly OpportunityRow[],
): Html {
  const shown = rows.slice(0, LIST_LIMIT)
  return page(
    'Opportunities',
    html`<h1>Opportunities</h1>
    <p class="muted">The deals Salesforce lets you (${viewer.username}) see: your own and those shared
    with you. Open one to attach a contract.</p>
    ${
      shown.length === 0
        ? html`<div class="card"><p>Salesforce shows you no Opportunities.</p></div>`
        : html`<table><caption class="muted">Opportunities visible to ${viewer.username}</caption>
        <thead><tr><th scope="col">Opportunity</th><th scope="col">Account</th><th scope="col">Stage</th><th scope="col">Close date</th><th scope="col">Amount</th><th scope="col">Owner</th></tr></thead>
        <tbody>${shown.map(
          (o) => html`<tr>
          <td data-label="Opportunity"><a href="${link(o)}">${o.name}</a></td>
          <td data-label="Account">${o.account ?? ''}</td>
          <td data-label="Stage">${o.stage}</td>
          <td data-label="Close date">${o.closeDate}</td>
          <td data-label="Amount">${amount(o.amount)}</td>
          <td data-label="Owner">${ownership(viewer, o)}</td>
        </tr>`,
        )}</tbody></table>`
    }
    ${rows.length > LIST_LIMIT && html`<p class="muted">Showing the first ${LIST_LIMIT} by close date.</p>`}`,
    viewer,
  )
}

function size(bytes: number | undefined): string {
  if (bytes === undefined) return ''
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

export interface UploadLimits {
  readonly maxBytes: number
  readonly contentTypes: readonly string[]
}

/** A message above the form: what was attached, or why the file was refused. */
export type UploadOutcome =
  | { readonly kind: 'attached'; readonly filename: string; readonly versionId: string | undefined }
  | { readonly kind: 'refused'; readonly message: string; readonly errorCode?: string }
  /** The file went out but the org's answer did not come back: it may or may not be kept. */
  | { readonly kind: 'unanswered' }

export function opportunityPage(
  viewer: Viewer & { readonly userId: string },
  o: OpportunityRow,
  contracts: readonly ContractRow[],
  limits: UploadLimits,
  outcome?: UploadOutcome,
): Html {
  return page(
    o.name,
    html`<p><a href="/portal/opportunities">← All opportunities</a></p>
    <h1>${o.name}</h1>
    ${
      outcome?.kind === 'attached' &&
      html`<p class="notice" role="status">${outcome.filename} was attached to this Opportunity in Salesforce.</p>`
    }
    ${
      outcome?.kind === 'refused' &&
      html`<div class="alert" role="alert"><p>${outcome.message}</p>${
        outcome.errorCode !== undefined &&
        html`<p class="muted">Salesforce answered <code>${outcome.errorCode}</code>.</p>`
      }<p>Nothing was attached.</p></div>`
    }
    ${
      outcome?.kind === 'unanswered' &&
      html`<div class="alert" role="alert"><p>Salesforce did not answer the upload, so the portal cannot
      tell whether the file was kept. The contracts below are what Salesforce holds now: if the
      file is not among them, attach it again.</p></div>`
    }
    <div class="card"><dl class="details">
      <dt>Account</dt><dd>${o.account ?? '—'}</dd>
      <dt>Stage</dt><dd>${o.stage}</dd>
      <dt>Close date</dt><dd>${o.closeDate}</dd>
      <dt>Amount</dt><dd>${amount(o.amount) || '—'}</dd>
      <dt>Owner</dt><dd>${ownership(viewer, o)}</dd>
      <dt>Id</dt><dd><code>${o.id}</code></dd>
    </dl></div>
    <h2 id="contracts">Contracts</h2>
    ${
      contracts.length === 0
        ? html`<p class="muted">No files are attached to this Opportunity yet.</p>`
        : html`<table aria-labelledby="contracts"><thead><tr><th scope="col">File</th><th scope="col">Type</th><th scope="col">Size</th><th scope="col">Added</th></tr></thead>
        <tbody>${contracts.map(
          (c) => html`<tr data-document="${c.documentId}" data-version="${c.versionId ?? ''}">
          <td data-label="File">${c.title}</td>
          <td data-label="Type">${c.extension ?? ''}</td>
          <td data-label="Size">${size(c.size)}</td>
          <td data-label="Added">${(c.createdDate ?? '').slice(0, 10)}</td>
        </tr>`,
        )}</tbody></table>`
    }
    <h2>Attach a contract</h2>
    <form method="post" enctype="multipart/form-data" action="${link(o)}/contracts">
      ${csrfField(viewer)}
      <label for="contract-file">Drop a contract file on the box below, or choose one</label>
      <p class="hint" id="contract-limits">Up to ${size(limits.maxBytes)}; ${limits.contentTypes.join(', ')}.</p>
      <input class="dropzone" id="contract-file" type="file" name="file" required aria-describedby="contract-limits" accept="${limits.contentTypes.join(',')}">
      <p class="hint">The file goes to Salesforce as you: it is attached only where Salesforce lets you.</p>
      <button type="submit">Attach to this Opportunity</button>
    </form>`,
    viewer,
  )
}

/** The org's refusal to show a deal, in its words. */
export function opportunityRefusedPage(
  viewer: Viewer,
  status: 403 | 404,
  errorCode: string | undefined,
): Html {
  const title = status === 404 ? 'Opportunity not found' : 'Not allowed in Salesforce'
  return page(
    title,
    html`<h1>${title}</h1><div class="alert" role="alert">${
      status === 404
        ? html`<p>Salesforce has no Opportunity with this id that you can see: it does not exist, or
          it is not shared with you.</p>`
        : html`<p>Salesforce refused you access to this Opportunity.</p>`
    }${errorCode !== undefined && html`<p class="muted">Salesforce answered <code>${errorCode}</code>.</p>`}
    <p><a href="/portal/opportunities">Back to your Opportunities</a></p></div>`,
    viewer,
  )
}
