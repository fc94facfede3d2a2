import { type Html, html } from '../html.ts'
import { page, type Viewer } from './layout.ts'

/** Every way a portal request can fail, each with a page that says what to do next. */
export type Failure =
  | 'login-denied'
  | 'login-invalid'
  | 'session-expired'
  | 'csrf'
  | 'org-unreachable'
  | 'not-found'
  | 'forbidden'
  | 'too-large'
  | 'internal'

interface FailurePage {
  readonly status: number
  readonly title: string
  readonly body: (returnTo: string) => Html
}

const signIn = (returnTo: string) =>
  html`<p><a class="button" href="/portal/login?return_to=${encodeURIComponent(returnTo)}">Sign in with Salesforce</a></p>`

const PAGES: Readonly<Record<Failure, FailurePage>> = {
  'login-denied': {
    status: 403,
    title: 'Sign-in was not allowed',
    body: (r) => html`<p>Salesforce did not grant this portal access to your account: the request was
      denied on the approval page, or your administrator has not allowed this app for you.</p>
      <p>You can try again, or ask your Salesforce administrator to give you access.</p>${signIn(r)}`,
  },
  'login-invalid': {
    status: 400,
    title: 'This sign-in could not be completed',
    body: (r) => html`<p>The answer from Salesforce did not match a sign-in started in this browser,
      or it was used already or has expired. Nothing was changed.</p>
      <p>Start again from this portal.</p>${signIn(r)}`,
  },
  'session-expired': {
    status: 401,
    title: 'Your session has ended',
    body: (r) => html`<p>You were signed out because of inactivity, or because the session reached its
      time limit. Sign in again to continue where you were.</p>${signIn(r)}`,
  },
  csrf: {
    status: 403,
    title: 'This form could not be accepted',
    body: () => html`<p>The form was not sent from a page of this portal in your current session, so
      it was refused to protect your account. Nothing was changed.</p>
      <p>Go back, reload the page and submit it again.</p>
      <p><a href="/portal/apps">Back to my apps</a></p>`,
  },
  'org-unreachable': {
    status: 503,
    title: 'Salesforce cannot be reached right now',
    body: (r) => html`<p>The portal could not reach your Salesforce org. This is usually brief.
      Nothing was changed.</p><p>Wait a minute and try again.</p>${signIn(r)}`,
  },
  'not-found': {
    status: 404,
    title: 'Page not found',
    body: () => html`<p>There is no such page, or the app is not one of yours.</p>
      <p><a href="/portal/apps">Back to my apps</a></p>`,
  },
  forbidden: {
    status: 403,
    title: 'Not allowed',
    body: () =>
      html`<p>This page is for portal administrators.</p><p><a href="/portal/apps">Back to my apps</a></p>`,
  },
  'too-large': {
    status: 413,
    title: 'Form too large',
    body: () =>
      html`<p>The form sent more data than the portal accepts.</p><p><a href="/portal/apps">Back</a></p>`,
  },
  internal: {
    status: 500,
    title: 'Something went wrong',
    body: () => html`<p>The portal could not complete this request. Nothing was shown to anyone else;
      try again in a moment.</p><p><a href="/portal/apps">Back to my apps</a></p>`,
  },
}

export function failurePage(
  failure: Failure,
  returnTo: string,
  viewer?: Viewer,
): { status: number; body: Html } {
  const spec = PAGES[failure]
  return {
    status: spec.status,
    body: page(
      spec.title,
      html`<h1>${spec.title}</h1><div class="alert" role="alert">${spec.body(returnTo)}</div>`,
      viewer,
    ),
  }
}
