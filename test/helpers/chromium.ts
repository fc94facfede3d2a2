import { accessSync, constants } from 'node:fs'
import { describe, test } from 'node:test'

/** Names the browser to drive; when set, it is the only place looked at. */
export const CHROMIUM_ENV = 'FORCEGATE_CHROMIUM'
/** Set by CI: a missing browser fails the run instead of skipping the browser tests. */
export const REQUIRE_BROWSER_ENV = 'FORCEGATE_REQUIRE_BROWSER'

/** An installed Chromium or Chrome, never one downloaded by a test tool. */
const INSTALLED = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
]

function candidates(): string[] {
  const named = process.env[CHROMIUM_ENV]
  return named === undefined || named === '' ? INSTALLED : [named]
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

export function findChromium(): string | undefined {
  return candidates().find(executable)
}

export function browserRequired(): boolean {
  const flag = process.env[REQUIRE_BROWSER_ENV]
  return flag !== undefined && flag !== '' && flag !== '0'
}

export function chromiumMissing(): string {
  return `no Chromium found (looked at ${candidates().join(', ')}; set ${CHROMIUM_ENV} to name one)`
}

/**
 * A suite of browser tests. Without Chromium it is one skipped test carrying the reason, so
 * node:test reports it once per file and counts it as skipped. Where the browser is required
 * it always runs, and launching fails with the same reason.
 */
export function browserSuite(name: string, options: { timeout: number }, body: () => void): void {
  if (findChromium() !== undefined || browserRequired()) {
    describe(name, options, body)
    return
  }
  test(name, { skip: `${chromiumMissing()}: browser tests not run` }, () => {})
}

/** The browser to launch; throws the reason when there is none. */
export function chromiumPath(): string {
  const path = findChromium()
  if (path === undefined) throw new Error(`${chromiumMissing()} and ${REQUIRE_BROWSER_ENV} is set`)
  return path
}
