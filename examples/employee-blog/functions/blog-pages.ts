import type { AuditEntry, Post } from './blog-store.ts'
import { type Html, html } from './html.ts'

// The blog's pages. No script anywhere, no inline style: the CSP allows neither.

export interface Viewer {
  readonly id: string
  readonly name: string
  readonly csrf: string
}

function layout(title: string, viewer: Viewer | undefined, content: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Acme Engineering Blog</title><link rel="stylesheet" href="/styles.css"></head>
<body>
<header><a href="/" class="brand">Acme Engineering Blog</a>
<nav>${viewer === undefined ? html`<a href="/portal/login">Employees: sign in</a>` : html`<span>Signed in as ${viewer.name}</span> <a href="/write">Write a post</a>`}</nav>
</header>
<main>${content}</main>
</body></html>`
}

const date = (iso: string) => iso.slice(0, 10)

export function listPage(posts: readonly Post[]): Html {
  return layout(
    'Posts',
    undefined,
    html`<h1>Engineering and innovation at Acme</h1>
${posts.length === 0 ? html`<p>No posts yet.</p>` : ''}
<ul class="posts">${posts.map(
      (p) =>
        html`<li><a href="/posts/${p.id}">${p.title}</a> <small>by ${p.authorName}, ${date(p.createdAt)}</small></li>`,
    )}</ul>`,
  )
}

export function postPage(post: Post): Html {
  return layout(
    post.title,
    undefined,
    html`<article><h1>${post.title}</h1><p class="byline">by <span class="author">${post.authorName}</span>, ${date(post.createdAt)}</p>
${post.body.split(/\n{2,}/).map((para) => html`<p>${para}</p>`)}</article>
<p><a href="/posts/${post.id}/manage">Edit or delete (Acme employees)</a></p>`,
  )
}

export function writePage(viewer: Viewer, error?: string): Html {
  return layout(
    'Write',
    viewer,
    html`<h1>Write a post</h1>
${error === undefined ? '' : html`<p class="error" role="alert">${error}</p>`}
<form method="post" action="/posts">
<input type="hidden" name="csrf" value="${viewer.csrf}">
<label for="title">Title</label><input id="title" name="title" required maxlength="200">
<label for="body">Text</label><textarea id="body" name="body" required maxlength="20000" rows="12"></textarea>
<button type="submit">Publish</button>
</form>`,
  )
}

export function managePage(viewer: Viewer, post: Post): Html {
  const own = post.authorId === viewer.id
  const prefix = own ? `/posts/${post.id}` : `/moderation/posts/${post.id}`
  return layout(
    `Manage ${post.title}`,
    viewer,
    html`<h1>${post.title}</h1>
<p>${own ? 'Your post.' : html`By ${post.authorName}: only holders of the Blog Moderator permission set may change it.`}</p>
<form method="post" action="${prefix}/edit">
<input type="hidden" name="csrf" value="${viewer.csrf}">
<label for="title">Title</label><input id="title" name="title" required maxlength="200" value="${post.title}">
<label for="body">Text</label><textarea id="body" name="body" required maxlength="20000" rows="12">${post.body}</textarea>
<button type="submit">${own ? 'Save' : 'Save as moderator'}</button>
</form>
<form method="post" action="${prefix}/delete">
<input type="hidden" name="csrf" value="${viewer.csrf}">
<button type="submit" class="danger">${own ? 'Delete' : 'Delete as moderator'}</button>
</form>`,
  )
}

export function auditPage(viewer: Viewer, entries: readonly AuditEntry[]): Html {
  return layout(
    'Audit log',
    viewer,
    html`<h1>Audit log</h1><table><thead><tr><th>When</th><th>Who</th><th>What</th><th>Post</th></tr></thead><tbody>
${entries.map((e) => html`<tr><td>${e.at}</td><td>${e.actorName}</td><td>${e.action}</td><td>#${e.postId} ${e.title}</td></tr>`)}
</tbody></table>`,
  )
}

export function messagePage(title: string, message: string, viewer?: Viewer): Html {
  return layout(
    title,
    viewer,
    html`<h1>${title}</h1><p>${message}</p><p><a href="/">Back to the blog</a></p>`,
  )
}

export const STYLES = `body{font-family:system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem;color:#1b1b1b}
header{display:flex;justify-content:space-between;align-items:center;border-bottom:1px solid #ccc;padding-bottom:.5rem}
.brand{font-weight:700;text-decoration:none;color:#0b3d91}
label{display:block;margin-top:1rem}input,textarea{width:100%;box-sizing:border-box;font:inherit}
button{margin-top:1rem}.danger{color:#8b0000}.error{color:#8b0000}small,.byline{color:#555}
`
