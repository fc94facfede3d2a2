import type { IncomingMessage, ServerResponse } from 'node:http'
import { GatewayError } from '../errors/gateway-error.ts'
import { readBody } from '../http/read-body.ts'
import type { Redirect } from './browser-login.ts'
import type { Html } from './html.ts'

/**
 * Writing portal responses with the same protective headers every time: no caching (pages
 * show identities and secrets), no framing, referrers only within the portal (a browser sends
 * `Origin: null` on forms from a `no-referrer` page, which would defeat the Origin check;
 * callbacks, whose URLs carry codes, send `no-referrer` themselves), and a CSP that allows only our own stylesheet and forms posted to us or to the org (Chrome
 * applies `form-action` to the redirect that follows a post).
 */
export function securityHeaders(orgOrigin: string): Record<string, string> {
  return {
    'cache-control': 'no-store',
    pragma: 'no-cache',
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'content-security-policy': [
      "default-src 'none'",
      "style-src 'self'",
      "img-src 'self' data:",
      `form-action 'self' ${orgOrigin}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
  }
}

export function sendHtml(
  res: ServerResponse,
  status: number,
  body: Html,
  headers: Record<string, string>,
  cookies: readonly string[] = [],
): void {
  const text = `<!doctype html>\n${body.markup}`
  res.writeHead(status, {
    ...headers,
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...(cookies.length > 0 ? { 'set-cookie': [...cookies] } : {}),
  })
  res.end(text)
}

/** 303: after a form post the browser must GET the target, never re-post (RFC 9700 §4.12). */
export function sendRedirect(res: ServerResponse, to: Redirect, headers: Record<string, string>): void {
  res.writeHead(303, {
    ...headers,
    location: to.location,
    'content-length': '0',
    ...(to.cookies.length > 0 ? { 'set-cookie': [...to.cookies] } : {}),
  })
  res.end()
}

export class FormTooLarge extends Error {}

/** Reads an `application/x-www-form-urlencoded` body (the gateway's capped reader); anything else reads as empty. */
export async function readForm(req: IncomingMessage, maxBytes = 16 * 1024): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase()
  let body: Buffer
  try {
    body = await readBody(req, maxBytes)
  } catch (err) {
    if (err instanceof GatewayError && err.code === 'GW_BODY_TOO_LARGE')
      throw new FormTooLarge('form too large')
    throw err
  }
  if (type !== 'application/x-www-form-urlencoded') return new URLSearchParams()
  return new URLSearchParams(body.toString('utf8'))
}

/** For responses to URLs that carry a code or state: nothing of them may leak onwards. */
export function noReferrer(headers: Record<string, string>): Record<string, string> {
  return { ...headers, 'referrer-policy': 'no-referrer' }
}
