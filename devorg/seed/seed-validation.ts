import { to18 } from '../ids.ts'
import {
  APP_IDENTITY_KEYS,
  checkAppIdentity,
  checkOrgIdentity,
  checkUserIdentity,
  ROOT_IDENTITY_KEYS,
  USER_IDENTITY_KEYS,
} from './identity-seed-validation.ts'
import type {
  DevOrgSeed,
  SeedConnectedApp,
  SeedDuplicateRule,
  SeedField,
  SeedFieldType,
  SeedObject,
  SeedRecord,
  SeedUser,
} from './seed-types.ts'

/** A seed problem located by JSON pointer; the message reads `file: /pointer: expected …`. */
export class SeedError extends Error {
  readonly file: string
  readonly pointer: string
  readonly expected: string
  constructor(file: string, pointer: string, expected: string) {
    super(`${file}: ${pointer || '/'}: expected ${expected}`)
    this.name = 'SeedError'
    this.file = file
    this.pointer = pointer
    this.expected = expected
  }
}

const FIELD_TYPES: readonly SeedFieldType[] = ['string', 'number', 'boolean', 'date', 'datetime', 'reference']

type Obj = Record<string, unknown>

export class Checker {
  readonly file: string
  constructor(file: string) {
    this.file = file
  }
  fail(pointer: string, expected: string): never {
    throw new SeedError(this.file, pointer, expected)
  }
  object(value: unknown, pointer: string): Obj {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(pointer, 'an object')
    return value as Obj
  }
  array(value: unknown, pointer: string): unknown[] {
    if (!Array.isArray(value)) this.fail(pointer, 'an array')
    return value
  }
  string(value: unknown, pointer: string, pattern?: RegExp, describe?: string): string {
    if (typeof value !== 'string' || value.length === 0) this.fail(pointer, describe ?? 'a non-empty string')
    if (pattern && !pattern.test(value)) this.fail(pointer, describe ?? `a string matching ${pattern}`)
    return value
  }
  boolean(value: unknown, pointer: string): boolean {
    if (typeof value !== 'boolean') this.fail(pointer, 'true or false')
    return value
  }
  optionalBoolean(value: unknown, pointer: string, fallback: boolean): boolean {
    return value === undefined ? fallback : this.boolean(value, pointer)
  }
  onlyKeys(obj: Obj, pointer: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key))
        this.fail(`${pointer}/${escapePointer(key)}`, `one of: ${allowed.join(', ')}`)
    }
  }
}

function escapePointer(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1')
}

function absoluteUrl(value: string): boolean {
  return URL.canParse(value) && !value.includes('#')
}

function checkUser(c: Checker, raw: unknown, p: string): SeedUser {
  const o = c.object(raw, p)
  c.onlyKeys(o, p, [
    'id',
    'username',
    'password',
    'email',
    'firstName',
    'lastName',
    'active',
    'modifyAllData',
    ...USER_IDENTITY_KEYS,
  ])
  const user: SeedUser = {
    username: c.string(o.username, `${p}/username`, /^[^\s@]+@[^\s@]+$/, 'a username in email form'),
    password: c.string(o.password, `${p}/password`),
    email: c.string(o.email, `${p}/email`, /^[^\s@]+@[^\s@]+$/, 'an email address'),
    firstName: c.string(o.firstName, `${p}/firstName`),
    lastName: c.string(o.lastName, `${p}/lastName`),
    active: c.optionalBoolean(o.active, `${p}/active`, true),
  }
  if (o.modifyAllData !== undefined) user.modifyAllData = c.boolean(o.modifyAllData, `${p}/modifyAllData`)
  if (o.id !== undefined) {
    const id = c.string(
      o.id,
      `${p}/id`,
      /^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/,
      'a 15- or 18-character User id (005…)',
    )
    user.id = to18(id) ?? id
  }
  checkUserIdentity(c, o, p, user)
  return user
}

function checkApp(c: Checker, raw: unknown, p: string): SeedConnectedApp {
  const o = c.object(raw, p)
  c.onlyKeys(o, p, [
    'name',
    'clientId',
    'clientSecret',
    'redirectUris',
    'scopes',
    'jwtAccessTokens',
    'introspectAll',
    'runAs',
    'passwordFlow',
    'certificate',
    'postLogoutRedirectUris',
    ...APP_IDENTITY_KEYS,
  ])
  const scopes = c.array(o.scopes ?? ['api', 'refresh_token'], `${p}/scopes`)
  const app: SeedConnectedApp = {
    name: c.string(o.name, `${p}/name`),
    clientId: c.string(
      o.clientId,
      `${p}/clientId`,
      /^[A-Za-z0-9._-]{8,255}$/,
      '8-255 characters of A-Z a-z 0-9 . _ -',
    ),
    clientSecret: c.string(
      o.clientSecret,
      `${p}/clientSecret`,
      /^\S{16,}$/,
      'a secret of at least 16 characters',
    ),
    redirectUris: c
      .array(o.redirectUris ?? [], `${p}/redirectUris`)
      .map((u, i) => c.string(u, `${p}/redirectUris/${i}`, undefined, 'an absolute URL without fragment')),
    scopes: scopes.map((s, i) =>
      c.string(s, `${p}/scopes/${i}`, /^[\x21\x23-\x5B\x5D-\x7E]+$/, 'a scope token'),
    ),
    jwtAccessTokens: c.optionalBoolean(o.jwtAccessTokens, `${p}/jwtAccessTokens`, false),
    introspectAll: c.optionalBoolean(o.introspectAll, `${p}/introspectAll`, false),
    passwordFlow: c.optionalBoolean(o.passwordFlow, `${p}/passwordFlow`, false),
  }
  app.redirectUris.forEach((u, i) => {
    if (!absoluteUrl(u)) c.fail(`${p}/redirectUris/${i}`, 'an absolute URL without fragment')
  })
  if (o.runAs !== undefined) app.runAs = c.string(o.runAs, `${p}/runAs`, undefined, 'a username')
  if (o.postLogoutRedirectUris !== undefined) {
    app.postLogoutRedirectUris = c
      .array(o.postLogoutRedirectUris, `${p}/postLogoutRedirectUris`)
      .map((u, i) => {
        const uri = c.string(
          u,
          `${p}/postLogoutRedirectUris/${i}`,
          undefined,
          'an absolute URL without fragment',
        )
        if (!absoluteUrl(uri)) c.fail(`${p}/postLogoutRedirectUris/${i}`, 'an absolute URL without fragment')
        return uri
      })
  }
  if (o.certificate !== undefined) {
    app.certificate = c.string(
      o.certificate,
      `${p}/certificate`,
      /-----BEGIN [A-Z ]+-----/,
      'a PEM certificate',
    )
  }
  checkAppIdentity(c, o, p, app)
  return app
}

function checkField(c: Checker, raw: unknown, p: string): SeedField {
  const o = c.object(raw, p)
  c.onlyKeys(o, p, ['name', 'type', 'label', 'externalId', 'referenceTo'])
  const type = c.string(o.type, `${p}/type`) as SeedFieldType
  if (!FIELD_TYPES.includes(type)) c.fail(`${p}/type`, `one of ${FIELD_TYPES.join(', ')}`)
  const field: SeedField = {
    name: c.string(o.name, `${p}/name`, /^[A-Za-z][A-Za-z0-9_]*$/, 'a field API name'),
    type,
  }
  if (o.label !== undefined) field.label = c.string(o.label, `${p}/label`)
  if (o.externalId !== undefined) field.externalId = c.boolean(o.externalId, `${p}/externalId`)
  if (type === 'reference')
    field.referenceTo = c.string(o.referenceTo, `${p}/referenceTo`, undefined, 'an sObject name')
  else if (o.referenceTo !== undefined) c.fail(`${p}/referenceTo`, 'no referenceTo unless type is reference')
  return field
}

function checkObject(c: Checker, raw: unknown, p: string): SeedObject {
  const o = c.object(raw, p)
  c.onlyKeys(o, p, ['name', 'label', 'fields'])
  const object: SeedObject = {
    name: c.string(
      o.name,
      `${p}/name`,
      // A standard object named here (e.g. Contact) gains the listed custom fields.
      /^(?:[A-Za-z][A-Za-z0-9]*|[A-Za-z][A-Za-z0-9_]*__[ce])$/,
      'a custom object (…__c), platform event (…__e) or standard object name',
    ),
    fields: c.array(o.fields ?? [], `${p}/fields`).map((f, i) => checkField(c, f, `${p}/fields/${i}`)),
  }
  if (o.label !== undefined) object.label = c.string(o.label, `${p}/label`)
  return object
}

function checkRecords(c: Checker, raw: unknown, p: string): Record<string, SeedRecord[]> {
  const o = c.object(raw ?? {}, p)
  const out: Record<string, SeedRecord[]> = {}
  for (const [name, list] of Object.entries(o)) {
    const lp = `${p}/${escapePointer(name)}`
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) c.fail(lp, 'an sObject name as key')
    out[name] = c.array(list, lp).map((r, i) => {
      const rec = c.object(r, `${lp}/${i}`)
      for (const [k, v] of Object.entries(rec)) {
        if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) {
          c.fail(`${lp}/${i}/${escapePointer(k)}`, 'a string, number, boolean or null')
        }
      }
      return rec as SeedRecord
    })
  }
  return out
}

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/

function checkDuplicateRule(c: Checker, raw: unknown, p: string): SeedDuplicateRule {
  const o = c.object(raw, p)
  c.onlyKeys(o, p, ['name', 'object', 'fields', 'action', 'matchingRule', 'message', 'resultKey'])
  const action = c.string(o.action, `${p}/action`, /^(allow|block)$/, 'allow or block') as 'allow' | 'block'
  const fields = c
    .array(o.fields, `${p}/fields`)
    .map((f, i) => c.string(f, `${p}/fields/${i}`, API_NAME, 'a field API name'))
  if (fields.length === 0) c.fail(`${p}/fields`, 'at least one field')
  const rule: SeedDuplicateRule = {
    name: c.string(o.name, `${p}/name`, API_NAME, 'a rule API name'),
    object: c.string(o.object, `${p}/object`, API_NAME, 'an sObject name'),
    fields,
    action,
  }
  if (o.matchingRule !== undefined)
    rule.matchingRule = c.string(o.matchingRule, `${p}/matchingRule`, API_NAME, 'a rule API name')
  if (o.message !== undefined) rule.message = c.string(o.message, `${p}/message`)
  if (o.resultKey !== undefined) {
    rule.resultKey = c.string(
      o.resultKey,
      `${p}/resultKey`,
      /^duplicateResu(l)?t$/,
      'duplicateResut or duplicateResult',
    ) as 'duplicateResut' | 'duplicateResult'
  }
  return rule
}

/** Validates parsed seed JSON; throws SeedError pointing at the first offending field. */
export function validateSeed(input: unknown, file: string): DevOrgSeed {
  const c = new Checker(file)
  const root = c.object(input, '')
  c.onlyKeys(root, '', [
    '$comment',
    'org',
    'users',
    'connectedApps',
    'initialAccessToken',
    'initialAccessTokenApp',
    'objects',
    'records',
    'changeDataCapture',
    'duplicateRules',
    ...ROOT_IDENTITY_KEYS,
  ])
  const org = c.object(root.org, '/org')
  c.onlyKeys(org, '/org', ['id', 'name', 'myDomain', 'sessionTimeoutSeconds'])
  const orgId = c.string(
    org.id,
    '/org/id',
    /^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/,
    'a 15- or 18-character Organization id (00D…)',
  )
  const seed: DevOrgSeed = {
    org: {
      id: to18(orgId) ?? orgId,
      name: c.string(org.name, '/org/name'),
      myDomain: c.string(
        org.myDomain,
        '/org/myDomain',
        /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/,
        'a My Domain name (a-z 0-9 -)',
      ),
    },
    users: c.array(root.users, '/users').map((u, i) => checkUser(c, u, `/users/${i}`)),
    connectedApps: c
      .array(root.connectedApps, '/connectedApps')
      .map((a, i) => checkApp(c, a, `/connectedApps/${i}`)),
    objects: c.array(root.objects ?? [], '/objects').map((o, i) => checkObject(c, o, `/objects/${i}`)),
    records: checkRecords(c, root.records, '/records'),
  }
  if (org.sessionTimeoutSeconds !== undefined) {
    const t = org.sessionTimeoutSeconds
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > 86400) {
      c.fail('/org/sessionTimeoutSeconds', 'an integer number of seconds from 1 to 86400')
    }
    seed.org.sessionTimeoutSeconds = t as number
  }
  if (root.initialAccessToken !== undefined) {
    seed.initialAccessToken = c.string(
      root.initialAccessToken,
      '/initialAccessToken',
      /^\S{16,}$/,
      'a token of at least 16 characters',
    )
  }
  if (root.initialAccessTokenApp !== undefined) {
    const owner = c.string(root.initialAccessTokenApp, '/initialAccessTokenApp')
    if (!seed.connectedApps.some((a) => a.clientId === owner)) {
      c.fail('/initialAccessTokenApp', 'the clientId of a seeded connected app')
    }
    seed.initialAccessTokenApp = owner
  }
  if (root.changeDataCapture !== undefined) {
    seed.changeDataCapture = c
      .array(root.changeDataCapture, '/changeDataCapture')
      .map((n, i) => c.string(n, `/changeDataCapture/${i}`, API_NAME, 'an sObject name'))
  }
  if (root.duplicateRules !== undefined) {
    seed.duplicateRules = c
      .array(root.duplicateRules, '/duplicateRules')
      .map((r, i) => checkDuplicateRule(c, r, `/duplicateRules/${i}`))
  }
  checkReferences(c, seed)
  checkOrgIdentity(c, root, seed)
  return seed
}

function checkReferences(c: Checker, seed: DevOrgSeed): void {
  const usernames = new Set<string>()
  seed.users.forEach((u, i) => {
    const key = u.username.toLowerCase()
    if (usernames.has(key)) c.fail(`/users/${i}/username`, 'a username not used by an earlier user')
    usernames.add(key)
  })
  const clientIds = new Set<string>()
  seed.connectedApps.forEach((a, i) => {
    if (clientIds.has(a.clientId))
      c.fail(`/connectedApps/${i}/clientId`, 'a clientId not used by an earlier app')
    clientIds.add(a.clientId)
    if (a.runAs !== undefined && !usernames.has(a.runAs.toLowerCase())) {
      c.fail(`/connectedApps/${i}/runAs`, 'the username of a seeded user')
    }
  })
  if (seed.connectedApps.filter((a) => a.introspectAll).length > 1) {
    const i = seed.connectedApps.findLastIndex((a) => a.introspectAll)
    c.fail(`/connectedApps/${i}/introspectAll`, 'false: only one app per org may introspect all tokens')
  }
  const objectNames = new Set<string>()
  seed.objects.forEach((o, i) => {
    if (objectNames.has(o.name)) c.fail(`/objects/${i}/name`, 'an object name not used by an earlier object')
    objectNames.add(o.name)
  })
}
