// Pub/Sub clients only speak TLS (Salesforce's own Node client has no plaintext mode), so the
// dev org makes itself a self-signed certificate at first start and keeps it beside its
// database; without a data folder each start makes a fresh one. Clients either skip
// verification (`rejectUnauthorizedSsl: false`) or pin this certificate.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { join } from 'node:path'
import selfsigned from 'selfsigned'

export type TlsCertificate = { cert: string; key: string; certPath: string | null }

export const CERT_FILE = 'pubsub-tls-cert.pem'
const KEY_FILE = 'pubsub-tls-key.pem'
const VALID_YEARS = 10

async function generate(host: string): Promise<{ cert: string; key: string }> {
  const names = new Set(['localhost', '127.0.0.1', '::1', host])
  const altNames = [...names].map((name) =>
    isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name },
  )
  const notBeforeDate = new Date()
  const notAfterDate = new Date(notBeforeDate)
  notAfterDate.setFullYear(notAfterDate.getFullYear() + VALID_YEARS)
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'forcegate dev org Pub/Sub API' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  })
  return { cert: pems.cert, key: pems.private }
}

/** The certificate kept in `dataDir`, made there on first use; a fresh one when there is no folder. */
export async function loadOrCreateCertificate(
  dataDir: string | undefined,
  host: string,
): Promise<TlsCertificate> {
  if (dataDir === undefined) return { ...(await generate(host)), certPath: null }
  const certPath = join(dataDir, CERT_FILE)
  const keyPath = join(dataDir, KEY_FILE)
  if (existsSync(certPath) && existsSync(keyPath)) {
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), certPath }
  }
  const made = await generate(host)
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  writeFileSync(keyPath, made.key, { mode: 0o600 })
  writeFileSync(certPath, made.cert, { mode: 0o644 })
  return { ...made, certPath }
}
