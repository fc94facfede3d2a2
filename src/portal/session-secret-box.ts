import { hkdfSync, randomBytes } from 'node:crypto'
import { parseEncryptionKey, SecretBox } from '../store/secret-box.ts'

const INFO = 'forcegate portal sessions'

function derive(key: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', key, new Uint8Array(0), INFO, 32))
}

/**
 * The key that seals browser sessions at rest, derived (HKDF-SHA256) from the partner store's
 * encryption key so that no second key has to be configured, kept and rotated, while a value
 * sealed for one store can never be opened as the other's. Previous partner keys stay
 * readable here too, so a rotation does not sign everyone out.
 */
export function sessionSecretBox(activeKey: string, previousKeys: readonly string[] = []): SecretBox {
  return new SecretBox(
    derive(parseEncryptionKey(activeKey)),
    previousKeys.map((k) => derive(parseEncryptionKey(k))),
  )
}

/** A key that lives as long as the process: sessions sealed with it end with it. */
export function ephemeralSecretBox(): SecretBox {
  return new SecretBox(randomBytes(32))
}
