import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { ensurePrivateDir } from '../lib/private-path.ts'
import { parseEncryptionKey } from '../store/secret-box.ts'

export interface LoadedKey {
  readonly key: string
  /** Where the key came from, for the one line the CLI prints. */
  readonly source: 'env' | 'file' | 'generated' | 'ephemeral'
  /** Set when the key file can be read by other users. */
  readonly warning?: string
}

/**
 * The encryption key for local use: the environment value when set; otherwise the key file;
 * otherwise a new random key written to the key file (0600) — but only while no database
 * exists yet, because a new key can never open secrets sealed with a lost one.
 */
export function loadOrCreateEncryptionKey(
  envValue: string | undefined,
  keyFile: string,
  storeFile: string,
): LoadedKey {
  if (envValue !== undefined && envValue.trim() !== '') {
    parseEncryptionKey(envValue)
    return { key: envValue.trim(), source: 'env' }
  }
  if (existsSync(keyFile)) {
    const key = readFileSync(keyFile, 'utf8').trim()
    parseEncryptionKey(key)
    const mode = statSync(keyFile).mode & 0o077
    return mode === 0
      ? { key, source: 'file' }
      : { key, source: 'file', warning: `${keyFile} is readable by other users; chmod 600 it` }
  }
  // An in-memory store dies with the process, and so may its key.
  if (storeFile === ':memory:') return { key: randomBytes(32).toString('base64'), source: 'ephemeral' }
  if (existsSync(storeFile))
    throw new Error(
      `no encryption key: FORCEGATE_ENCRYPTION_KEY is not set and ${keyFile} does not exist, but ${storeFile} does; restore the key that sealed it`,
    )
  const key = randomBytes(32).toString('base64')
  ensurePrivateDir(dirname(keyFile))
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600, flag: 'wx' })
  // The umask may have widened the mode at creation.
  chmodSync(keyFile, 0o600)
  return { key, source: 'generated' }
}
