import { constants, verify } from 'node:crypto'
import type { JwtAlgorithm } from './types.ts'
import type { VerificationKey } from './verification-keys.ts'

/**
 * JWS signature check with node:crypto on a key imported from the issuer's JWK. Measured in
 * bench/micro/jwt-verify.ts (Node 24): the synchronous call verified 2.6× as many RS256
 * tokens per second as jose's jwtVerify awaited one at a time (1.3× for ES256), because it
 * skips WebCrypto's thread-pool round trip per token. Header and claim policy live in front
 * of this call, so the choice of primitive changes no decision.
 *
 * RS256 is RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3), so PSS is excluded explicitly.
 * ES256 signatures are the raw 64-byte r‖s (RFC 7518 §3.4), which OpenSSL reads as IEEE
 * P1363; a DER signature or any other length is refused before OpenSSL sees it.
 */
export function verifyJwsSignature(
  alg: JwtAlgorithm,
  key: VerificationKey,
  signingInput: string,
  signature: Buffer,
): boolean {
  const data = Buffer.from(signingInput, 'latin1')
  try {
    if (alg === 'ES256') {
      if (key.kty !== 'EC' || signature.length !== 64) return false
      return verify('sha256', data, { key: key.key, dsaEncoding: 'ieee-p1363' }, signature)
    }
    if (key.kty !== 'RSA') return false
    // A plain RSA key object already means PKCS#1 v1.5; passing it bare skips Node's slower
    // per-call key preparation (~10 µs a token). Anything else states the padding explicitly.
    if (key.key.asymmetricKeyType === 'rsa') return verify('sha256', data, key.key, signature)
    return verify('sha256', data, { key: key.key, padding: constants.RSA_PKCS1_PADDING }, signature)
  } catch {
    // OpenSSL throws on inputs it cannot even parse; for us that is simply a bad signature.
    return false
  }
}
