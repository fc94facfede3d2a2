/**
 * Runs before `npm test`: the portal's browser tests need Debian's Chromium (never a browser
 * downloaded by a test tool). On a fresh machine where we are root with apt, install it; else
 * say exactly what is missing and how to get it, rather than failing deep inside a test.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const CHROMIUM = '/usr/bin/chromium'

if (!existsSync(CHROMIUM)) {
  const root = process.getuid?.() === 0
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0
  if (!root || !apt) {
    process.stderr.write(
      `npm test: the portal's browser tests need Chromium at ${CHROMIUM}.\n` +
        `Install Debian's package first: sudo apt-get install -y chromium\n`,
    )
    process.exit(1)
  }
  process.stderr.write('npm test: installing Debian chromium for the browser tests (once) …\n')
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', 'chromium'],
  ]) {
    const run = spawnSync('apt-get', args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })
    if (run.status !== 0) {
      process.stderr.write(`npm test: apt-get ${args.join(' ')} failed (exit ${run.status})\n`)
      process.exit(1)
    }
  }
}
