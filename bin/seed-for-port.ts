import type { DevOrgSeed } from '../devorg/index.ts'
import { DEFAULT_SEED_PATH, loadSeed } from '../devorg/seed/load-seed.ts'

/**
 * The default seed with the callbacks its apps register on the seeded gateway ports
 * (`http://127.0.0.1:8080/…`, `…:8081/…`) moved to the ports actually served, so that signing in
 * works on whatever ports `npm start` uses (the org refuses a redirect URI an app did not
 * register). `moves` maps a seeded port to the one in use; port 0 (not known yet) moves nothing.
 */
export function seedForGatewayPorts(moves: ReadonlyMap<number, number>): DevOrgSeed {
  const seed = loadSeed(DEFAULT_SEED_PATH)
  const follow = (uri: string): string => {
    const match = /^http:\/\/127\.0\.0\.1:(\d+)(\/.*)?$/.exec(uri)
    const moved = match === null ? undefined : moves.get(Number(match[1]))
    return moved === undefined || moved === 0 ? uri : `http://127.0.0.1:${moved}${match?.[2] ?? ''}`
  }
  return {
    ...seed,
    connectedApps: seed.connectedApps.map((app) => ({
      ...app,
      redirectUris: app.redirectUris.map(follow),
      ...(app.postLogoutRedirectUris === undefined
        ? {}
        : { postLogoutRedirectUris: app.postLogoutRedirectUris.map(follow) }),
    })),
  }
}
