import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

// CSRF tokens bound to the signed-in user: `<issued ms>.<HMAC(key, user|issued)>`, valid two
// hours. The gateway refuses cross-origin posts to session routes too; this stops a post that
// did not come from a form this site rendered for this user.

const KEY = process.env.BLOG_CSRF_KEY ? Buffer.from(process.env.BLOG_CSRF_KEY, 'base64') : randomBytes(32)
const LIFETIME_MS = 2 * 3600 * 1000

function mac(userId: string, issued: string): Buffer {
  return createHmac('sha256', KEY).update(`${userId}|${issued}`).digest()
}

export function csrfToken(userId: string, now = Date.now()): string {
  const issued = String(now)
  return `${issued}.${mac(userId, issued).toString('base64url')}`
}

export function csrfValid(userId: string, token: string | undefined, now = Date.now()): boolean {
  if (token === undefined) return false
  const [issued, sig] = token.split('.')
  if (issued === undefined || sig === undefined || !/^\d{1,15}$/.test(issued)) return false
  if (now - Number(issued) > LIFETIME_MS || Number(issued) > now + 60_000) return false
  const given = Buffer.from(sig, 'base64url')
  const expected = mac(userId, issued)
  return given.length === expected.length && timingSafeEqual(given, expected)
}
