/**
 * Tools the bench brings in at run time: `wrk` and `nginx` from Debian (apt) when missing, and
 * the npm peers (serverless-offline, fastify, autocannon) into their own folders under
 * bench/.work/peers, each with its own package.json, so the project's lock file stays as it is.
 * Everything it installs is printed.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runBounded } from './proc.ts'

export const BENCH_DIR = new URL('..', import.meta.url).pathname.replace(/\/$/, '')
export const REPO_DIR = join(BENCH_DIR, '..')
export const WORK_DIR = join(BENCH_DIR, '.work')
export const NODE = join(REPO_DIR, 'node_modules', '.bin', 'node')

export function which(command: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || undefined
  } catch {
    return undefined
  }
}

let aptUpdated = false

/**
 * Makes sure the Debian packages are installed; returns the ones still missing (not Debian,
 * not root, or the install failed).
 */
export async function ensureDebianPackages(
  wanted: readonly { command: string; pkg: string }[],
  log: (line: string) => void,
): Promise<string[]> {
  const missing = wanted.filter((w) => which(w.command) === undefined)
  if (missing.length === 0) return []
  const pkgs = missing.map((m) => m.pkg)
  const isRoot = process.getuid?.() === 0
  if (which('apt-get') === undefined || !isRoot) {
    log(`cannot install ${pkgs.join(', ')}: ${isRoot ? 'no apt-get' : 'not root'}`)
    return pkgs
  }
  log(`installing from Debian: ${pkgs.join(' ')} (apt-get install -y --no-install-recommends)`)
  if (!aptUpdated) {
    const up = await runBounded('apt-get', ['update', '-q', '-o', 'DPkg::Lock::Timeout=300'], {
      timeoutSeconds: 300,
    })
    aptUpdated = true
    if (up.code !== 0) log(`apt-get update failed:\n${up.output.slice(-800)}`)
  }
  const res = await runBounded(
    'apt-get',
    ['install', '-y', '-q', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=300', ...pkgs],
    {
      timeoutSeconds: 600,
      env: { DEBIAN_FRONTEND: 'noninteractive' },
    },
  )
  if (res.code !== 0) log(`apt-get install failed:\n${res.output.slice(-800)}`)
  return missing.filter((m) => which(m.command) === undefined).map((m) => m.pkg)
}

/**
 * Installs npm packages into bench/.work/peers/<name> (once; a stamp file records the exact
 * package list) and returns that folder. Throws with npm's output when the install fails.
 */
export async function ensureNpmPeer(
  name: string,
  packages: readonly string[],
  log: (line: string) => void,
  extraArgs: readonly string[] = [],
): Promise<string> {
  const dir = join(WORK_DIR, 'peers', name)
  const stamp = join(dir, '.installed')
  const want = JSON.stringify({ packages, extraArgs })
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return dir
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `bench-peer-${name}`, private: true, type: 'module' }, null, 2)}\n`,
  )
  log(`installing from npm into bench/.work/peers/${name}: ${packages.join(' ')}`)
  const started = Date.now()
  const res = await runBounded(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...extraArgs, ...packages],
    { cwd: dir, timeoutSeconds: 600 },
  )
  if (res.code !== 0)
    throw new Error(`npm install failed: ${res.output.trim().split('\n').slice(-3).join(' ')}`)
  writeFileSync(stamp, want)
  log(`  done in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  return dir
}

/** `version` of an installed package in a peer folder, for the results file. */
export function installedVersion(peerDir: string, pkg: string): string {
  try {
    return JSON.parse(readFileSync(join(peerDir, 'node_modules', pkg, 'package.json'), 'utf8')).version
  } catch {
    return '?'
  }
}

export function commandVersion(command: string, args: readonly string[], pattern: RegExp): string {
  // Some tools print their version on stderr (nginx) or exit non-zero after printing it (wrk).
  const res = spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 })
  return pattern.exec(`${res.stdout ?? ''}${res.stderr ?? ''}`)?.[1] ?? '?'
}
