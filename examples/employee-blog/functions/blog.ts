import {
  auditPage,
  listPage,
  managePage,
  messagePage,
  postPage,
  STYLES,
  type Viewer,
  writePage,
} from './blog-pages.ts'
import { BlogStore, type Post } from './blog-store.ts'
import { csrfToken, csrfValid } from './csrf.ts'
import { type Html, toText } from './html.ts'

// The employee blog's one Lambda handler. Who may do what is mostly decided before it runs:
// the gateway admits only employees (user type STANDARD) to writing, and only holders of the
// Blog Moderator permission set to /moderation; this handler checks authorship, CSRF tokens
// and the publishing rate, and takes the author from the session, never from the form.

const store = new BlogStore(process.env.BLOG_DB ?? '.forcegate/blog.db')
/** Posts one author may publish per window. */
const PUBLISH_LIMIT = Number(process.env.BLOG_PUBLISH_LIMIT ?? 5)
const PUBLISH_WINDOW_MS = 10 * 60 * 1000

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
}

interface ProxyEvent {
  resource: string
  httpMethod: string
  pathParameters: Record<string, string> | null
  body: string | null
  isBase64Encoded: boolean
  requestContext: { authorizer?: Record<string, unknown> | null }
}

const page = (statusCode: number, content: Html) => ({
  statusCode,
  headers: { 'Content-Type': 'text/html; charset=utf-8', ...SECURITY_HEADERS },
  body: toText(content),
})
const redirect = (location: string) => ({
  statusCode: 303,
  headers: { Location: location, ...SECURITY_HEADERS },
  body: '',
})

function viewerOf(event: ProxyEvent): Viewer | undefined {
  const a = event.requestContext.authorizer
  const id = typeof a?.principalId === 'string' ? a.principalId : undefined
  if (id === undefined) return undefined
  const name = typeof a?.username === 'string' ? a.username : id
  return { id, name, csrf: csrfToken(id) }
}

function form(event: ProxyEvent): URLSearchParams {
  const raw = event.body ?? ''
  return new URLSearchParams(event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw)
}

function postOf(event: ProxyEvent): Post | undefined {
  const id = event.pathParameters?.postId
  return id !== undefined && /^\d{1,12}$/.test(id) ? store.get(Number(id)) : undefined
}

function fields(f: URLSearchParams): { title: string; body: string } | undefined {
  const title = (f.get('title') ?? '').trim()
  const body = (f.get('body') ?? '').replace(/\r\n/g, '\n').trim()
  if (title === '' || body === '' || title.length > 200 || body.length > 20_000) return undefined
  return { title, body }
}

export async function handler(event: ProxyEvent) {
  const route = `${event.httpMethod} ${event.resource}`
  if (route === 'GET /styles.css')
    return { statusCode: 200, headers: { 'Content-Type': 'text/css', ...SECURITY_HEADERS }, body: STYLES }
  if (route === 'GET /') return page(200, listPage(store.list()))
  if (route === 'GET /posts/{postId}') {
    const post = postOf(event)
    return post === undefined
      ? page(404, messagePage('Not found', 'There is no such post.'))
      : page(200, postPage(post))
  }
  const viewer = viewerOf(event)
  if (viewer === undefined) return page(401, messagePage('Sign in', 'Sign in with your Acme account first.'))
  const actor = { id: viewer.id, name: viewer.name }
  if (route === 'GET /write') return page(200, writePage(viewer))
  if (route === 'GET /moderation/audit') return page(200, auditPage(viewer, store.audit()))
  const post = postOf(event)
  if (route === 'GET /posts/{postId}/manage')
    return post === undefined
      ? page(404, messagePage('Not found', 'There is no such post.', viewer))
      : page(200, managePage(viewer, post))

  // Every state change: a form this site rendered for this user.
  const f = form(event)
  if (!csrfValid(viewer.id, f.get('csrf') ?? undefined))
    return page(
      403,
      messagePage(
        'Refused',
        'This form has expired or did not come from this site. Reload and try again.',
        viewer,
      ),
    )

  if (route === 'POST /posts') {
    const input = fields(f)
    if (input === undefined) return page(400, writePage(viewer, 'A post needs a title and a text.'))
    if (store.publishedSince(viewer.id, PUBLISH_WINDOW_MS) >= PUBLISH_LIMIT)
      return page(429, messagePage('Slow down', `At most ${PUBLISH_LIMIT} posts per ten minutes.`, viewer))
    // The author is who signed in: any author field in the form is ignored.
    const created = store.publish(actor, input.title, input.body)
    return redirect(`/posts/${created.id}`)
  }
  if (post === undefined) return page(404, messagePage('Not found', 'There is no such post.', viewer))
  // The gateway admitted /moderation only for the Blog Moderator permission set.
  const moderating = event.resource.startsWith('/moderation/')
  if (!moderating && post.authorId !== viewer.id)
    return page(
      403,
      messagePage('Refused', 'Only the author or a blog moderator may change this post.', viewer),
    )
  if (event.resource.endsWith('/delete')) {
    store.delete(actor, post)
    return redirect('/')
  }
  const input = fields(f)
  if (input === undefined) return page(400, managePage(viewer, post))
  store.edit(actor, post, input.title, input.body)
  return redirect(`/posts/${post.id}`)
}
