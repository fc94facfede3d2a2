import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { sha256 } from '../lib/digest.ts'
import { StoreError } from './store-error.ts'

const IV_BYTES = 12
const TAG_BYTES = 16
const KEY_BYTES = 32

/** One value sealed with AES-256-GCM: which key sealed it, and `iv || ciphertext || tag`. */
export interface SealedValue {
  readonly keyId: string
  readonly data: Uint8Array
}

/**
 * Parses a 32-byte key given as base64 (standard or url-safe). Anything else is rejected:
 * a short key silently padded would be a weak key.
 */
export function parseEncryptionKey(base64: string): Buffer {
  const trimmed = base64.trim()
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed))
    throw new StoreError('STORE_KEY_INVALID', 'encryption key is not base64')
  const key = Buffer.from(trimmed.replaceAll('-', '+').replaceAll('_', '/'), 'base64')
  if (key.length !== KEY_BYTES)
    throw new StoreError(
      'STORE_KEY_INVALID',
      `encryption key must decode to ${KEY_BYTES} bytes, got ${key.length}`,
    )
  return key
}

/**
 * The id stored beside each sealed value. It is derived from the key so that configuration
 * only has to list keys, and a wrong key is recognised by id before any decryption is tried.
 * A truncated hash of a 256-bit random key reveals nothing usable about it.
 */
const KEY_ID_LABEL = Buffer.from('forcegate-secret-key-id\0')

export function keyIdOf(key: Uint8Array): string {
  return `k${sha256(Buffer.concat([KEY_ID_LABEL, key]), 'hex').slice(0, 16)}`
}

/**
 * Seals and opens secrets at rest. New values are sealed with the active key; older keys stay
 * readable so that keys can be rotated and data re-sealed later. The associated data binds a
 * ciphertext to its row and field, so a value copied onto another row does not decrypt.
 */
export class SecretBox {
  readonly activeKeyId: string
  readonly #keys = new Map<string, Buffer>()

  constructor(activeKey: Uint8Array, previousKeys: readonly Uint8Array[] = []) {
    for (const key of [activeKey, ...previousKeys]) {
      if (key.length !== KEY_BYTES)
        throw new StoreError('STORE_KEY_INVALID', `encryption key must be ${KEY_BYTES} bytes`)
      this.#keys.set(keyIdOf(key), Buffer.from(key))
    }
    this.activeKeyId = keyIdOf(activeKey)
  }

  static fromBase64(active: string, previous: readonly string[] = []): SecretBox {
    return new SecretBox(parseEncryptionKey(active), previous.map(parseEncryptionKey))
  }

  knows(keyId: string): boolean {
    return this.#keys.has(keyId)
  }

  seal(plaintext: string, associatedData: string): SealedValue {
    const key = this.#keys.get(this.activeKeyId)!
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', key, iv)
    cipher.setAAD(Buffer.from(associatedData, 'utf8'))
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    return { keyId: this.activeKeyId, data: Buffer.concat([iv, body, cipher.getAuthTag()]) }
  }

  open(sealed: SealedValue, associatedData: string): string {
    const key = this.#keys.get(sealed.keyId)
    if (key === undefined)
      throw new StoreError(
        'STORE_KEY_UNKNOWN',
        `secret was sealed with key ${sealed.keyId}, which is not configured (wrong or missing encryption key)`,
      )
    const data = Buffer.from(sealed.data)
    if (data.length < IV_BYTES + TAG_BYTES)
      throw new StoreError('STORE_DECRYPT_FAILED', 'sealed secret is truncated')
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES))
    decipher.setAAD(Buffer.from(associatedData, 'utf8'))
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES))
    try {
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ])
      return plain.toString('utf8')
    } catch (cause) {
      // GCM authentication failed: wrong key, tampered value, or a value moved between rows.
      throw new StoreError('STORE_DECRYPT_FAILED', 'sealed secret failed authentication', { cause })
    }
  }
}
