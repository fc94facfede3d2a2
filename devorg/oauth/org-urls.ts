// The dev org plays every host at once: login host, My Domain and instance. Salesforce puts
// the login host in identity URLs; here that is the org's own base URL, so clients that
// follow `id` stay on the machine.

export type OrgUrls = {
  /** Issuer, My Domain and `instance_url` (no trailing slash). */
  readonly base: string
  readonly orgId: string
  identity(userId: string): string
}

export function orgUrls(base: string, orgId: string): OrgUrls {
  const trimmed = base.replace(/\/+$/, '')
  return {
    base: trimmed,
    orgId,
    identity: (userId) => `${trimmed}/id/${orgId}/${userId}`,
  }
}

/** Accepts `/id/<org>/<user>` paths and returns both ids, else null. */
export function parseIdentityPath(pathname: string): { orgId: string; userId: string } | null {
  const m = /^\/id\/(00D[A-Za-z0-9]{12,15})\/(005[A-Za-z0-9]{12,15})\/?$/.exec(pathname)
  if (!m?.[1] || !m[2]) return null
  return { orgId: m[1], userId: m[2] }
}
