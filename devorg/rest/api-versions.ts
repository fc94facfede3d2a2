// API versions the dev org serves. Three releases a year, each one major version up; versions
// below the oldest supported one have been retired (410), unknown future ones do not exist (404).

export const OLDEST_VERSION = 31
export const CURRENT_VERSION = 68
/** Upsert answers 200 with `created:false` on update from this version; 204 before it. */
export const UPSERT_BODY_SINCE = 46

const SEASONS = ['Spring', 'Summer', 'Winter'] as const

/** Release name for a major version, anchored on 63.0 = Spring '25. */
export function releaseLabel(major: number): string {
  const offset = major - 63
  const season = SEASONS[((offset % 3) + 3) % 3] ?? 'Spring'
  const year = 25 + Math.floor(offset / 3) + (season === 'Winter' ? 1 : 0)
  return `${season} '${String(year).padStart(2, '0')}`
}

export type VersionEntry = { label: string; url: string; version: string }

export function versionList(): VersionEntry[] {
  const out: VersionEntry[] = []
  for (let major = OLDEST_VERSION; major <= CURRENT_VERSION; major++) {
    out.push({ label: releaseLabel(major), url: `/services/data/v${major}.0`, version: `${major}.0` })
  }
  return out
}

export type VersionCheck =
  | { kind: 'ok'; version: string; major: number }
  | { kind: 'retired' }
  | { kind: 'unknown' }

/** Checks a path segment such as `v66.0`. */
export function checkVersion(segment: string): VersionCheck {
  const m = /^v(\d{1,3})\.0$/.exec(segment)
  if (!m) return { kind: 'unknown' }
  const major = Number(m[1])
  if (major > CURRENT_VERSION) return { kind: 'unknown' }
  if (major < OLDEST_VERSION) return { kind: 'retired' }
  return { kind: 'ok', version: `${major}.0`, major }
}
