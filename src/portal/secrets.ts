import { randomBytes, timingSafeEqual } from 'node:crypto'

/** 256 bits from the system CSPRNG, base64url: session ids, CSRF tokens, login bindings. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Constant-time comparison of two strings (length differences return false early). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
