/**
 * Turns the schedule into switches: the dev org's fault endpoint (slow, down, garbage, flapping),
 * the issuer's key rotation, the upstream's resets. Called every tick with the fault that should
 * be on; it changes only what differs from the last tick.
 */
import type { Keyring } from './keys.ts'
import type { FaultName } from './schedule.ts'
import type { Upstream } from './upstream.ts'

const ORG_SLOW_MS = 2500
const FLAP_MS = 1000

export class FaultDriver {
  private active: FaultName | undefined
  private flapTimer: NodeJS.Timeout | undefined

  private readonly orgUrl: string
  private readonly keyring: Keyring
  private readonly upstream: Upstream
  private readonly log: (line: string) => void

  constructor(orgUrl: string, keyring: Keyring, upstream: Upstream, log: (line: string) => void) {
    this.orgUrl = orgUrl
    this.keyring = keyring
    this.upstream = upstream
    this.log = log
  }

  async apply(fault: FaultName | undefined): Promise<void> {
    if (fault === this.active) return
    if (this.active !== undefined) await this.switchOff(this.active)
    this.active = fault
    if (fault === undefined) return
    this.log(`fault on: ${fault}`)
    switch (fault) {
      case 'org-slow':
        return this.org({ slowMs: ORG_SLOW_MS })
      case 'org-down':
        return this.org({ unavailable: true })
      case 'org-garbage':
        return this.org({ garbage: true })
      case 'org-flapping': {
        let down = false
        this.flapTimer = setInterval(() => {
          down = !down
          void this.org({ unavailable: down })
        }, FLAP_MS)
        return
      }
      case 'jwks-rotated':
        // Not awaited: the load loop keeps its pace while the new key is made.
        void this.keyring.rotate()
        return
      case 'upstream-reset':
        this.upstream.resetting = true
        return
    }
  }

  private async switchOff(fault: FaultName): Promise<void> {
    this.log(`fault off: ${fault}`)
    clearInterval(this.flapTimer)
    this.flapTimer = undefined
    this.upstream.resetting = false
    if (fault.startsWith('org-')) await this.org({ slowMs: 0, unavailable: false, garbage: false })
  }

  private async org(patch: Record<string, unknown>): Promise<void> {
    try {
      const res = await fetch(`${this.orgUrl}/__devorg/faults`, {
        method: 'POST',
        body: JSON.stringify(patch),
        signal: AbortSignal.timeout(5000),
      })
      await res.arrayBuffer()
      if (res.status !== 200)
        this.log(`dev org refused the fault switch ${JSON.stringify(patch)}: ${res.status}`)
    } catch (error) {
      this.log(`dev org fault switch failed: ${(error as Error).message}`)
    }
  }

  stop(): Promise<void> {
    return this.apply(undefined)
  }
}
