import type { OrgUser } from '../directory.ts'
import type { OrgUrls } from './org-urls.ts'

// Salesforce's two views of "who is this": OIDC userinfo and the richer identity URL. Clients
// such as jsforce read `urls.rest`/`urls.custom_domain`, so they point at the dev org itself.

function serviceUrls(urls: OrgUrls, user: OrgUser, version: string | undefined): Record<string, string> {
  const v = version ?? '{version}'
  const b = urls.base
  const data = `${b}/services/data/v${v}`
  return {
    enterprise: `${b}/services/Soap/c/${v}/${urls.orgId}`,
    metadata: `${b}/services/Soap/m/${v}/${urls.orgId}`,
    partner: `${b}/services/Soap/u/${v}/${urls.orgId}`,
    rest: `${data}/`,
    sobjects: `${data}/sobjects/`,
    search: `${data}/search/`,
    query: `${data}/query/`,
    recent: `${data}/recent/`,
    tooling_soap: `${b}/services/Soap/T/${v}/${urls.orgId}`,
    tooling_rest: `${data}/tooling/`,
    profile: `${b}/${user.id}`,
    feeds: `${data}/chatter/feeds`,
    groups: `${data}/chatter/groups`,
    users: `${data}/chatter/users`,
    feed_items: `${data}/chatter/feed-items`,
    feed_elements: `${data}/chatter/feed-elements`,
    custom_domain: b,
  }
}

function photos(urls: OrgUrls): { picture: string; thumbnail: string } {
  return { picture: `${urls.base}/profilephoto/005/F`, thumbnail: `${urls.base}/profilephoto/005/T` }
}

function nickname(user: OrgUser): string {
  return user.username.split('@')[0] ?? user.username
}

/**
 * `claims` are the app's additions (`custom_attributes`, `custom_permissions`), which sit after
 * the standard fields as in Salesforce's answers.
 */
export function userinfoDocument(
  urls: OrgUrls,
  user: OrgUser,
  version?: string,
  claims: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    sub: urls.identity(user.id),
    user_id: user.id,
    organization_id: urls.orgId,
    preferred_username: user.username,
    nickname: nickname(user),
    name: `${user.firstName} ${user.lastName}`,
    email: user.email,
    email_verified: true,
    given_name: user.firstName,
    family_name: user.lastName,
    zoneinfo: 'America/Los_Angeles',
    photos: photos(urls),
    profile: `${urls.base}/${user.id}`,
    picture: photos(urls).picture,
    address: { country: 'US' },
    is_salesforce_integration_user: false,
    urls: serviceUrls(urls, user, version),
    active: user.active,
    user_type: user.userType ?? 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
    updated_at: '1970-01-01T00:00:00Z',
    is_app_installed: true,
    phone_number: null,
    phone_number_verified: false,
    ...claims,
  }
}

export function identityDocument(
  urls: OrgUrls,
  user: OrgUser,
  asserted: boolean,
  version?: string,
  claims: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: urls.identity(user.id),
    asserted_user: asserted,
    user_id: user.id,
    organization_id: urls.orgId,
    username: user.username,
    nick_name: nickname(user),
    display_name: `${user.firstName} ${user.lastName}`,
    email: user.email,
    email_verified: true,
    first_name: user.firstName,
    last_name: user.lastName,
    timezone: 'America/Los_Angeles',
    photos: photos(urls),
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: 'US',
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: serviceUrls(urls, user, version),
    active: user.active,
    user_type: user.userType ?? 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
    last_modified_date: '1970-01-01T00:00:00.000+0000',
    is_app_installed: true,
    ...claims,
  }
}
