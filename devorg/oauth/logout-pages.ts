import type { KoaContextWithOIDC } from 'oidc-provider'
import { escapeHtml, page } from '../http/html.ts'

// OIDC logout (`/services/auth/idp/oidc/logout`) asks before ending the org session; the form
// oidc-provider hands over carries its own anti-forgery token.

export async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  ctx.type = 'text/html; charset=utf-8'
  ctx.body = page(
    'Log Out | forcegate Dev Org',
    `<h1>Log out of the dev org?</h1>${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Log Out</button>
<button type="submit" form="op.logoutForm">Stay logged in</button>`,
  )
}

export async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  const app = ctx.oidc.client?.clientName
  ctx.type = 'text/html; charset=utf-8'
  ctx.body = page(
    'Logged Out | forcegate Dev Org',
    `<h1>You are logged out${app ? ` of ${escapeHtml(app)}` : ''}.</h1>`,
  )
}
