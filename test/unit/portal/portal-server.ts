import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { PartnerView } from '../../../src/partners/partner-service.ts'
import { createPortal } from '../../../src/portal/portal.ts'
import type { PortalDeps, PortalPartners } from '../../../src/portal/portal-deps.ts'
import { CLIENT, type FakeOp } from './fake-op.ts'

export interface Listener {
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

/** A loopback HTTP listener on a free port. */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Listener> {
  const server: Server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A request as one listener saw it. */
export interface Seen {
  readonly url: string
  readonly authorization: string | undefined
}

/** A listener that answers 200 `{}` to everything and remembers what it was sent. */
export async function recordingListener(): Promise<Listener & { readonly seen: Seen[] }> {
  const seen: Seen[] = []
  const l = await listen((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization })
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
  })
  return { ...l, seen }
}

/** Partners that list and show exactly these apps. */
export function fixedPartners(apps: readonly PartnerView[]): PortalPartners {
  return {
    list: async () => apps,
    show: async (id: string) => {
      const found = apps.find((a) => a.clientId === id)
      if (found === undefined) throw Object.assign(new Error('no such client'), { code: 'PARTNER_NOT_FOUND' })
      return found
    },
  } as unknown as PortalPartners
}

/** One partner app owned by `contact`, with one contract for `orders`. */
export function partnerApp(clientId: string, contact: string, grantedScopes: readonly string[]): PartnerView {
  return {
    clientId,
    name: `App ${clientId}`,
    redirectUris: ['https://partner.example.com/cb'],
    contact,
    grantedScopes,
    status: 'active',
    registrationClientUri: `https://org.example.com/services/oauth2/register/${clientId}`,
    clientIdIssuedAt: 1,
    clientSecretExpiresAt: 0,
    rotatedFrom: undefined,
    createdAt: 1,
    updatedAt: 1,
    contracts: [
      {
        clientId,
        api: 'orders',
        scopes: ['api'],
        usagePlan: undefined,
        status: 'active',
        createdAt: 1,
        updatedAt: 1,
      },
    ],
  } as unknown as PartnerView
}

/**
 * The portal on its own loopback listener, its public origin being that listener's, signing
 * in at `op` with the fake provider's client.
 */
export async function startPortalServer(
  op: FakeOp,
  deps: Omit<PortalDeps, 'org' | 'publicOrigin' | 'admins'> & Partial<Pick<PortalDeps, 'admins'>>,
): Promise<Listener> {
  let portal: ReturnType<typeof createPortal> | undefined
  const l = await listen((req, res) => {
    void portal?.handle(req, res).then((served) => {
      if (!served) res.writeHead(404).end()
    })
  })
  portal = createPortal({ org: { issuer: op.issuer, ...CLIENT }, publicOrigin: l.url, admins: [], ...deps })
  return l
}

const pair = (setCookie: string) => setCookie.split(';')[0]!

/** Cookies a response set, as `name=value` pairs by name. */
export function cookiesOf(res: Response, into = new Map<string, string>()): Map<string, string> {
  for (const c of res.headers.getSetCookie()) {
    const p = pair(c)
    into.set(p.slice(0, p.indexOf('=')), p)
  }
  return into
}

export const cookieHeader = (jar: Map<string, string>) => [...jar.values()].join('; ')

/**
 * Follows an authorization redirect the way the provider would answer it: copies the nonce to
 * the fake provider and returns the callback URL (at `callbackPath`) with a code and the state.
 */
export function answerAuthorization(
  op: FakeOp,
  location: string,
  base: string,
  callbackPath: string,
): string {
  const url = new URL(location)
  op.nonce = url.searchParams.get('nonce') ?? undefined
  const q = new URLSearchParams({ code: 'the-code', state: url.searchParams.get('state')!, iss: op.issuer })
  return `${base}${callbackPath}?${q}`
}

/** Signs in over HTTP with `return_to` as given; returns the callback's answer and the cookies. */
export async function signIn(
  op: FakeOp,
  base: string,
  returnTo: string | undefined,
): Promise<{ readonly answer: Response; readonly jar: Map<string, string> }> {
  const query = returnTo === undefined ? '' : `?return_to=${encodeURIComponent(returnTo)}`
  const start = await fetch(`${base}/portal/login${query}`, { redirect: 'manual' })
  if (start.status !== 303) throw new Error(`login answered ${start.status}`)
  const jar = cookiesOf(start)
  const callback = answerAuthorization(op, start.headers.get('location')!, base, '/portal/callback')
  const answer = await fetch(callback, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } })
  cookiesOf(answer, jar)
  return { answer, jar }
}
