import type { SecretBox } from '../store/secret-box.ts'

/**
 * A store record as text the database may keep: `keyId.base64url(iv || ciphertext || tag)`,
 * AES-256-GCM through the project's `SecretBox`. The associated data names the table and row,
 * so a record copied onto another row (say, a session moved to another cookie's key) does not
 * open.
 */
export function sealRecord(box: SecretBox, value: unknown, row: string): string {
  const sealed = box.seal(JSON.stringify(value), row)
  return `${sealed.keyId}.${Buffer.from(sealed.data).toString('base64url')}`
}

/**
 * The record, or undefined when it cannot be opened: a key no longer configured, a tampered
 * value, or a plain record from before sealing. A session that cannot be read has ended.
 */
export function openRecord<T>(box: SecretBox, text: string, row: string): T | undefined {
  const dot = text.indexOf('.')
  if (dot <= 0) return undefined
  const keyId = text.slice(0, dot)
  if (!box.knows(keyId)) return undefined
  try {
    const data = Buffer.from(text.slice(dot + 1), 'base64url')
    return JSON.parse(box.open({ keyId, data }, row)) as T
  } catch {
    return undefined
  }
}
