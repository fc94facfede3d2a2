import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync } from 'node:sqlite'

// Posts and the audit log in SQLite (BLOG_DB, default .forcegate/blog.db; ':memory:' for none).

export interface Post {
  readonly id: number
  readonly title: string
  readonly body: string
  readonly authorId: string
  readonly authorName: string
  readonly createdAt: string
  readonly updatedAt: string
}

export interface AuditEntry {
  readonly at: string
  readonly actorId: string
  readonly actorName: string
  readonly action: 'publish' | 'edit' | 'delete'
  readonly postId: number
  readonly title: string
}

function open(path: string): DatabaseSync {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    // Only this user may read the posts and the audit log, whatever the umask.
    closeSync(openSync(path, 'a', 0o600))
    chmodSync(path, 0o600)
  }
  const db = new DatabaseSync(path)
  db.exec(`
    PRAGMA journal_mode = WAL;
    CREATE TABLE IF NOT EXISTS posts (
      id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, body TEXT NOT NULL,
      author_id TEXT NOT NULL, author_name TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS audit (
      id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor_id TEXT NOT NULL, actor_name TEXT NOT NULL,
      action TEXT NOT NULL, post_id INTEGER NOT NULL, title TEXT NOT NULL);
  `)
  return db
}

type Row = Record<string, string | number>
const toPost = (r: Row): Post => ({
  id: Number(r.id),
  title: String(r.title),
  body: String(r.body),
  authorId: String(r.author_id),
  authorName: String(r.author_name),
  createdAt: String(r.created_at),
  updatedAt: String(r.updated_at),
})

export class BlogStore {
  readonly #db: DatabaseSync
  readonly #now: () => Date

  constructor(path: string, now: () => Date = () => new Date()) {
    this.#db = open(path)
    this.#now = now
  }

  list(): Post[] {
    return (this.#db.prepare('SELECT * FROM posts ORDER BY id DESC LIMIT 100').all() as Row[]).map(toPost)
  }

  get(id: number): Post | undefined {
    const row = this.#db.prepare('SELECT * FROM posts WHERE id = ?').get(id) as Row | undefined
    return row === undefined ? undefined : toPost(row)
  }

  publish(author: { id: string; name: string }, title: string, body: string): Post {
    const at = this.#now().toISOString()
    const { lastInsertRowid } = this.#db
      .prepare(
        'INSERT INTO posts (title, body, author_id, author_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(title, body, author.id, author.name, at, at)
    this.#audit(author, 'publish', Number(lastInsertRowid), title, at)
    return this.get(Number(lastInsertRowid))!
  }

  edit(actor: { id: string; name: string }, post: Post, title: string, body: string): void {
    const at = this.#now().toISOString()
    this.#db
      .prepare('UPDATE posts SET title = ?, body = ?, updated_at = ? WHERE id = ?')
      .run(title, body, at, post.id)
    this.#audit(actor, 'edit', post.id, title, at)
  }

  delete(actor: { id: string; name: string }, post: Post): void {
    this.#db.prepare('DELETE FROM posts WHERE id = ?').run(post.id)
    this.#audit(actor, 'delete', post.id, post.title, this.#now().toISOString())
  }

  /** How many posts this author published since `sinceMs` ago: the publishing rate limit reads it. */
  publishedSince(authorId: string, sinceMs: number): number {
    const since = new Date(this.#now().getTime() - sinceMs).toISOString()
    const row = this.#db
      .prepare("SELECT COUNT(*) AS n FROM audit WHERE actor_id = ? AND action = 'publish' AND at > ?")
      .get(authorId, since) as { n: number }
    return row.n
  }

  audit(): AuditEntry[] {
    return (this.#db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT 200').all() as Row[]).map((r) => ({
      at: String(r.at),
      actorId: String(r.actor_id),
      actorName: String(r.actor_name),
      action: String(r.action) as AuditEntry['action'],
      postId: Number(r.post_id),
      title: String(r.title),
    }))
  }

  #audit(
    actor: { id: string; name: string },
    action: AuditEntry['action'],
    postId: number,
    title: string,
    at: string,
  ): void {
    this.#db
      .prepare(
        'INSERT INTO audit (at, actor_id, actor_name, action, post_id, title) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(at, actor.id, actor.name, action, postId, title)
  }
}
