/**
 * The gateway's connections to the Salesforce orgs routes write to: one keep-alive agent for
 * all of them, one REST client per org and timeout, and one integration-user token per org,
 * shared by every route that writes as that user (one mint serves them all).
 */
import { Agent } from 'undici'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { IntegrationCall } from '../types.ts'
import {
  createIntegrationUserToken,
  type IntegrationUserSettings,
  type TokenSource,
} from './integration-user-token.ts'
import type { SalesforceCredentials } from './salesforce-rest.ts'
import { SalesforceRest } from './salesforce-rest.ts'

export interface SalesforceOrgSettings {
  /** My Domain URL: where the caller's token is sent (the org that issued it). */
  readonly issuer: string
  /** Reads the integration user's settings (and its secret) when a route first needs them. */
  readonly integrationUser: () => IntegrationUserSettings
}

export interface SalesforceOrgTarget {
  readonly rest: SalesforceRest
  credentials(
    kind: 'caller' | 'integrationUser',
    call: Pick<IntegrationCall, 'callerToken'>,
  ): SalesforceCredentials
}

export class SalesforceConnections {
  readonly #orgs: ReadonlyMap<string, SalesforceOrgSettings>
  readonly #agent = new Agent({ connections: 64, pipelining: 1 })
  readonly #tokens = new Map<string, TokenSource>()
  readonly #targets = new Map<string, SalesforceOrgTarget>()
  readonly #deps: { readonly sleep?: (ms: number) => Promise<void> }

  constructor(
    orgs: ReadonlyMap<string, SalesforceOrgSettings>,
    deps: { readonly sleep?: (ms: number) => Promise<void> } = {},
  ) {
    this.#orgs = orgs
    this.#deps = deps
  }

  has(org: string): boolean {
    return this.#orgs.has(org)
  }

  /** Throws (a ConfigError from the settings) when the org or its integration user is not usable. */
  target(org: string, credential: 'caller' | 'integrationUser', timeoutMs: number): SalesforceOrgTarget {
    const settings = this.#orgs.get(org)
    if (settings === undefined) throw new TypeError(`no Salesforce org named '${org}'`)
    if (credential === 'integrationUser' && !this.#tokens.has(org))
      this.#tokens.set(org, createIntegrationUserToken(settings.integrationUser()))
    const key = `${org} ${timeoutMs}`
    let target = this.#targets.get(key)
    if (target === undefined) {
      const rest = new SalesforceRest({ dispatcher: this.#agent, timeoutMs, ...this.#deps })
      const tokens = this.#tokens
      target = {
        rest,
        credentials(kind, call) {
          if (kind === 'integrationUser') return { kind, source: tokens.get(org)! }
          if (call.callerToken === undefined)
            throw new GatewayError('GW_INTERNAL', {
              reason: 'salesforce.no_caller_token',
              detail: 'the route writes as the caller but its authorizer carries no Salesforce token',
            })
          return { kind, token: call.callerToken, instanceUrl: settings.issuer }
        },
      }
      this.#targets.set(key, target)
    }
    return target
  }

  async close(): Promise<void> {
    await this.#agent.close()
  }
}
