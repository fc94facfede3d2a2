// A scripted "browser" for the dev org's login and approval pages: fetch without automatic
// redirects and a cookie jar kept by hand, so that each hop of the flow is visible.

export class CookieJar {
  readonly #cookies = new Map<string, string>()

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';', 1)[0] ?? ''
      const eq = pair.indexOf('=')
      if (eq <= 0) continue
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.#cookies.delete(name)
      else this.#cookies.set(name, value)
    }
  }

  header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }
}

export type Hop = { status: number; location: string | null; body: string; url: string }

export class Browser {
  readonly jar = new CookieJar()

  async get(url: string): Promise<Hop> {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: this.jar.header() } })
    this.jar.store(res)
    return { status: res.status, location: res.headers.get('location'), body: await res.text(), url }
  }

  async post(url: string, form: Record<string, string>): Promise<Hop> {
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: this.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    })
    this.jar.store(res)
    return { status: res.status, location: res.headers.get('location'), body: await res.text(), url }
  }

  /** Follows redirects on the dev org until one leaves it (the client's callback) or a page shows. */
  async follow(hop: Hop, origin: string): Promise<Hop> {
    let current = hop
    for (let i = 0; i < 10 && current.location; i++) {
      const next = new URL(current.location, current.url)
      if (next.origin !== origin) return current
      current = await this.get(next.href)
    }
    return current
  }
}

/** The `action` of the first form on a page, resolved against the page URL. */
export function formAction(page: Hop): string {
  const m = /<form[^>]*action="([^"]+)"/.exec(page.body)
  if (!m?.[1]) throw new Error(`no form on page ${page.url} (status ${page.status})`)
  return new URL(m[1].replaceAll('&amp;', '&'), page.url).href
}

/**
 * Drives login and approval for an authorization URL; returns the final redirect to the
 * client's redirect_uri (with `code` and `state`, or `error`).
 */
export async function authorizeInteractively(
  browser: Browser,
  authorizationUrl: string,
  user: { username: string; password: string },
  decision: 'allow' | 'deny' = 'allow',
): Promise<URL> {
  const origin = new URL(authorizationUrl).origin
  let hop = await browser.follow(await browser.get(authorizationUrl), origin)
  for (let step = 0; step < 4; step++) {
    if (hop.location) return new URL(hop.location, hop.url)
    if (hop.body.includes('name="password"')) {
      hop = await browser.post(formAction(hop), user)
    } else if (hop.body.includes('name="decision"')) {
      hop = await browser.post(formAction(hop), { decision })
    } else {
      throw new Error(`unexpected page at ${hop.url}: ${hop.status} ${hop.body.slice(0, 200)}`)
    }
    hop = await browser.follow(hop, origin)
  }
  throw new Error('authorization did not finish')
}
