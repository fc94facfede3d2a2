import { type Html, html } from '../html.ts'

/** Who is looking, for the header; absent on pages seen before sign-in. */
export interface Viewer {
  readonly displayName: string
  readonly username: string
  readonly csrfToken: string
  readonly isAdmin: boolean
  /** The portal serves the Opportunities page. */
  readonly opportunities?: boolean
}

/**
 * The portal's icon, inline: without one a browser asks every page view for /favicon.ico, a
 * path of the API behind the gateway (a 403 or 404 in its access log each time).
 */
const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%230b5cab'/%3E%3Cpath d='M5 4h6v2H7v2h3v2H7v2H5z' fill='white'/%3E%3C/svg%3E"

/** A hidden field every state-changing form carries. */
export function csrfField(viewer: Viewer): Html {
  return html`<input type="hidden" name="csrf" value="${viewer.csrfToken}">`
}

export function page(title: string, body: Html, viewer?: Viewer): Html {
  return html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · forcegate developer portal</title>
<link rel="stylesheet" href="/portal/static/portal.css">
<link rel="icon" href="${FAVICON}">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a href="/portal/">forcegate developer portal</a>
  ${
    viewer === undefined
      ? html`<nav aria-label="Account"><a href="/portal/login">Sign in with Salesforce</a></nav>`
      : html`<nav aria-label="Main">
    <a href="/portal/apps">My apps</a>
    <a href="/portal/apps/new">Register an app</a>
    <a href="/portal/try">Try it</a>
    ${viewer.opportunities === true && html`<a href="/portal/opportunities">Opportunities</a>`}
    ${viewer.isAdmin && html`<a href="/portal/admin">Admin</a>`}
    <span>${viewer.displayName}</span>
    <form method="post" action="/portal/logout">${csrfField(viewer)}<button type="submit">Sign out</button></form>
  </nav>`
  }
</header>
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>`
}
