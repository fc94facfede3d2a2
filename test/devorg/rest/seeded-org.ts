// The default-seed dev org started for real, with jsforce connections signed in as its users:
// Pat (owns the Acme deals), Sam (owns Globex and Initech, shares Globex with Pat) and the
// integration user (Modify All Data), for the tests in this folder that need real tokens.

import jsforce from 'jsforce'
import { type DevOrg, type DevOrgOptions, startDevOrg } from '../../../devorg/index.ts'
import { toId18 } from '../../../devorg/rest/record-id.ts'
import { clientCredentialsToken, passwordToken } from '../oauth/org-client.ts'

export const API = '66.0'
export const ACME_DEAL = toId18('0065g00000Acme1')
export const ACME_SPARES = toId18('0065g00000Acme2')
export const GLOBEX_DEAL = toId18('0065g00000Glbx1')
export const INITECH_DEAL = toId18('0065g00000Init1')
export const WILE = toId18('0035g00000Wile1')

export type SeededOrg = {
  org: DevOrg
  tokens: { pat: string; sam: string; integration: string }
  pat: jsforce.Connection
  sam: jsforce.Connection
  integration: jsforce.Connection
  /** A raw REST call as `token`, for what jsforce hides (status codes, headers, bodies). */
  call(token: string, method: string, path: string, init?: RequestInit): Promise<RawResult>
  close(): Promise<void>
}

export type RawResult = { status: number; headers: Headers; json: unknown; bytes: Buffer }

export async function startSeededOrg(options: DevOrgOptions = {}): Promise<SeededOrg> {
  const org = await startDevOrg({ port: 0, ...options })
  const pat = (await passwordToken(org, 'Order Portal', 'admin@partner.example.com', 'Partner-Admin-1'))
    .access_token
  const sam = (await passwordToken(org, 'Order Portal', 'sales@forcegate.example.com', 'Sales-Rep-1'))
    .access_token
  const integration = (await clientCredentialsToken(org, 'forcegate Gateway')).access_token
  const connect = (accessToken: string) =>
    new jsforce.Connection({ instanceUrl: org.url, accessToken, version: API })
  return {
    org,
    tokens: { pat, sam, integration },
    pat: connect(pat),
    sam: connect(sam),
    integration: connect(integration),
    async call(token, method, path, init = {}) {
      const headers = new Headers(init.headers)
      headers.set('Authorization', `Bearer ${token}`)
      if (typeof init.body === 'string' && !headers.has('Content-Type'))
        headers.set('Content-Type', 'application/json')
      const res = await fetch(`${org.url}/services/data/v${API}${path}`, { ...init, method, headers })
      const bytes = Buffer.from(await res.arrayBuffer())
      const json = res.headers.get('content-type')?.startsWith('application/json')
        ? JSON.parse(bytes.toString('utf8'))
        : null
      return { status: res.status, headers: res.headers, json, bytes }
    },
    close: () => org.close(),
  }
}

/** A multipart ContentVersion upload body, as Salesforce documents it (`entity_content` + `VersionData`). */
export function contentVersionUpload(fields: Record<string, unknown>, bytes: Buffer, filename: string) {
  const boundary = `boundary${Math.random().toString(16).slice(2)}`
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="entity_content"\r\nContent-Type: application/json\r\n\r\n` +
      `${JSON.stringify(fields)}\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\n` +
      `Content-Disposition: form-data; name="VersionData"; filename="${filename}"\r\n\r\n`,
  )
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  return {
    body: Buffer.concat([head, bytes, tail]),
    headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
  }
}
