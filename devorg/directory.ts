import { deterministicId } from './ids.ts'
import type { DevOrgSeed, SeedConnectedApp, SeedUser } from './seed/seed-types.ts'

export type OrgUser = SeedUser & { id: string }

/** Salesforce connected-app settings that OAuth client metadata has no words for. */
export type AppSettings = {
  jwtAccessTokens: boolean
  introspectAll: boolean
  passwordFlow: boolean
  runAs?: string
  certificate?: string
}

const REGISTERED_APP_SETTINGS: AppSettings = Object.freeze({
  jwtAccessTokens: false,
  introspectAll: false,
  passwordFlow: false,
})

/** Read-only view of the org's people and apps, built once from the seed. */
export class Directory {
  readonly orgId: string
  readonly seed: DevOrgSeed
  readonly #usersById = new Map<string, OrgUser>()
  readonly #usersByName = new Map<string, OrgUser>()
  readonly #apps = new Map<string, SeedConnectedApp>()

  constructor(seed: DevOrgSeed) {
    this.seed = seed
    this.orgId = seed.org.id
    for (const u of seed.users) {
      const user: OrgUser = {
        ...u,
        id: u.id ?? deterministicId('005', `${seed.org.id}:${u.username.toLowerCase()}`),
      }
      this.#usersById.set(user.id, user)
      this.#usersByName.set(user.username.toLowerCase(), user)
    }
    for (const app of seed.connectedApps) this.#apps.set(app.clientId, app)
  }

  get users(): OrgUser[] {
    return [...this.#usersById.values()]
  }

  userById(id: string): OrgUser | undefined {
    return this.#usersById.get(id)
  }

  userByName(username: string): OrgUser | undefined {
    return this.#usersByName.get(username.toLowerCase())
  }

  seededApp(clientId: string): SeedConnectedApp | undefined {
    return this.#apps.get(clientId)
  }

  /** Settings for a seeded app; clients created by dynamic registration get the defaults. */
  settings(clientId: string): AppSettings {
    const app = this.#apps.get(clientId)
    if (!app) return REGISTERED_APP_SETTINGS
    const s: AppSettings = {
      jwtAccessTokens: app.jwtAccessTokens,
      introspectAll: app.introspectAll,
      passwordFlow: app.passwordFlow,
    }
    if (app.runAs !== undefined) s.runAs = app.runAs
    if (app.certificate !== undefined) s.certificate = app.certificate
    return s
  }

  /** The app that holds the initial access token and so registers clients. */
  get registrarClientId(): string | undefined {
    return this.seed.initialAccessTokenApp ?? this.seed.connectedApps.find((a) => a.introspectAll)?.clientId
  }
}
