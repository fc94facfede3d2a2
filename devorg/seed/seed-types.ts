// The dev org's seed: everything the org starts with. The shape is shared with the REST
// slice (it reads `objects` and `records`), so keep it stable and additive.

export type SeedFieldType = 'string' | 'number' | 'boolean' | 'date' | 'datetime' | 'reference'

export type SeedField = {
  name: string
  type: SeedFieldType
  label?: string
  externalId?: boolean
  /** Target sObject for `reference` fields. */
  referenceTo?: string
}

/**
 * A custom object, a platform event (name ends `__e`), or a standard object (e.g. `Contact`)
 * to which the listed custom fields are added.
 */
export type SeedObject = {
  name: string
  label?: string
  fields: SeedField[]
}

export type SeedOrg = {
  /** 15- or 18-character Organization id (`00D…`); stored and returned as 18 characters. */
  id: string
  name: string
  /** My Domain name, e.g. `forcegate-dev` (as in `forcegate-dev.my.salesforce.com`). */
  myDomain: string
  /** Access token (session) lifetime; Salesforce's default is two hours. Short values suit expiry tests. */
  sessionTimeoutSeconds?: number
}

export type SeedUser = {
  /** Optional fixed `005…` id; generated deterministically from the username when absent. */
  id?: string
  username: string
  password: string
  email: string
  firstName: string
  lastName: string
  active: boolean
  /** "Modify All Data": sees and edits every record whatever its sharing (integration users). */
  modifyAllData?: boolean
  /** As identity documents report `user_type`: `STANDARD` (default) for employees, `POWER_PARTNER`, `CSP_LITE_PORTAL`, … */
  userType?: string
  /** Name of a seeded profile; `Standard User` when absent. */
  profile?: string
  role?: string
  department?: string
  /** Names of seeded permission sets assigned to the user. */
  permissionSets?: string[]
  /** Names of seeded permission-set groups assigned to the user. */
  permissionSetGroups?: string[]
}

/** A profile, a permission set or a group: custom permissions it grants (API names). */
export type SeedPermissionHolder = {
  name: string
  label?: string
  customPermissions?: string[]
}

export type SeedPermissionSetGroup = {
  name: string
  label?: string
  /** Names of the seeded permission sets the group bundles. */
  permissionSets: string[]
}

export type SeedConnectedApp = {
  name: string
  clientId: string
  clientSecret: string
  redirectUris: string[]
  scopes: string[]
  /** Issue JWT-based access tokens for named users instead of opaque session ids. */
  jwtAccessTokens: boolean
  /** "Introspect All Tokens": may introspect every token in the org. */
  introspectAll: boolean
  /** Username the client credentials flow runs as; absent means the flow is disabled. */
  runAs?: string
  /** Username-password flow (legacy) allowed for this app. */
  passwordFlow: boolean
  /** PEM X.509 certificate or public key for the JWT bearer flow. */
  certificate?: string
  /** Where OIDC logout may return; defaults to the origin (`scheme://host:port/`) of each redirect URI. */
  postLogoutRedirectUris?: string[]
  /**
   * Custom permissions enabled for the app: userinfo and the identity URL report each as
   * true or false for the user when the token has the `custom_permissions` scope.
   */
  customPermissions?: string[]
  /**
   * Custom attributes of the app, reported as `custom_attributes`: a value is a literal, or
   * one of `$User.Username`, `$User.Email`, `$User.Department`, `$User.UserType`,
   * `$Profile.Name`, `$UserRole.Name`.
   */
  customAttributes?: Record<string, string>
  /** The app's ID token configuration: include `custom_attributes` ("Include Custom Attributes"). */
  idTokenIncludeAttributes?: boolean
  /** Include `custom_permissions` in ID tokens ("Include Custom Permissions"). */
  idTokenIncludeCustomPermissions?: boolean
}

export type SeedRecord = { [field: string]: string | number | boolean | null }

/**
 * A duplicate rule: a save whose `fields` all equal (ignoring case) those of another live
 * record of `object` answers DUPLICATES_DETECTED. `allow` rules ("allow, with alert") let a save
 * through with `Sforce-Duplicate-Rule-Header: allowSave=true`; `block` rules never do.
 */
export type SeedDuplicateRule = {
  name: string
  object: string
  fields: string[]
  action: 'allow' | 'block'
  /** Name of the matching rule reported in `matchResults`; defaults to `<name>_Match`. */
  matchingRule?: string
  message?: string
  /**
   * The key the duplicate result travels under: real orgs answer `duplicateResut` (sic); some
   * answer `duplicateResult`. Clients should read both.
   */
  resultKey?: 'duplicateResut' | 'duplicateResult'
}

export type DevOrgSeed = {
  org: SeedOrg
  users: SeedUser[]
  connectedApps: SeedConnectedApp[]
  /** Initial access token for dynamic client registration; absent disables registration. */
  initialAccessToken?: string
  /**
   * Client id of the app that holds the initial access token; it may introspect the tokens of
   * the clients it registers. Defaults to the app with `introspectAll`.
   */
  initialAccessTokenApp?: string
  objects: SeedObject[]
  /**
   * Records to preload, keyed by sObject name (standard objects such as Account included). A
   * lookup to User (`OwnerId`, `UserOrGroupId`) may name a seeded user by username.
   */
  records: { [sobjectName: string]: SeedRecord[] }
  /** Objects selected for Change Data Capture (`Opportunity` → `/data/OpportunityChangeEvent`). */
  changeDataCapture?: string[]
  duplicateRules?: SeedDuplicateRule[]
  /** Profiles users may name; `Standard User` and `System Administrator` always exist. */
  profiles?: SeedPermissionHolder[]
  permissionSets?: SeedPermissionHolder[]
  permissionSetGroups?: SeedPermissionSetGroup[]
}
