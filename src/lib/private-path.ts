import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * State files (partner store, sessions, keys) hold secrets: folders created for them are 0700
 * and the files 0600, whatever the process umask is. An existing folder keeps its mode: it may
 * be the user's project folder or /tmp, which are not ours to close.
 */
export function ensurePrivateDir(dir: string): void {
  const first = mkdirSync(dir, { recursive: true, mode: 0o700 })
  if (first === undefined) return
  // mkdir's mode is filtered by the umask; every folder it created is ours to tighten.
  for (let d = dir; d.length >= first.length; d = dirname(d)) {
    chmodSync(d, 0o700)
    if (d === first) break
  }
}

/**
 * Creates the file empty (0600) when missing and tightens it when present, before a library
 * such as SQLite opens it with its own default mode. SQLite's `-wal`/`-shm`/`-journal` files
 * take their mode from the database file, so restricting it first covers them.
 */
export function preparePrivateFile(path: string): void {
  if (path === ':memory:') return
  ensurePrivateDir(dirname(path))
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600))
  chmodSync(path, 0o600)
}
