import type Provider from 'oidc-provider'

type TimedToken = {
  iat?: number
  exp?: number
  readonly expiration: number | undefined
  save(): Promise<string | undefined>
}

/**
 * oidc-provider stamps and judges its tokens by the wall clock, and has no option for another
 * one (`clockTolerance` only widens what it accepts). The org's tokens follow the org's clock
 * instead, so that `iat`/`exp` of access, refresh and JWT access tokens, codes and grants, and
 * the expiry checks oidc-provider makes when a code or refresh token is redeemed, agree with the
 * introspection, userinfo and REST checks the org makes itself. ID tokens and browser sessions
 * stay on oidc-provider's own clock: they are judged by the client and the browser.
 */
export function followOrgClock(provider: Provider, now: () => number): void {
  const seconds = () => Math.floor(now() / 1000)
  const proto = provider.BaseToken.prototype as unknown as TimedToken
  const save = proto.save
  // Stamped before the first save: oidc-provider keeps a token's own `iat`/`exp` when present,
  // and the TTL it hands the store is then `remainingTTL`, read on the same clock below.
  proto.save = function (this: TimedToken) {
    if (this.iat === undefined) this.iat = seconds()
    if (this.exp === undefined && this.expiration) this.exp = this.iat + this.expiration
    return save.call(this)
  }
  Object.defineProperty(proto, 'isExpired', {
    configurable: true,
    get(this: TimedToken) {
      return this.exp !== undefined && this.exp <= seconds()
    },
  })
  Object.defineProperty(proto, 'remainingTTL', {
    configurable: true,
    get(this: TimedToken) {
      return this.exp === undefined ? this.expiration : this.exp - seconds()
    },
  })
}
