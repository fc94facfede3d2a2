#!/usr/bin/env node
// forcegate runs on Node.js 24 (TypeScript without a build step). When started by an older
// Node, hand over to the Node 24 binary the project installs, if there is one.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const major = Number(process.versions.node.split('.')[0])
if (major < 24) {
  const local = join(root, 'node_modules', '.bin', 'node')
  if (!existsSync(local)) {
    process.stderr.write(
      `forcegate needs Node.js 24 or newer (this is ${process.version}); run npm install first.\n`,
    )
    process.exit(1)
  }
  const result = spawnSync(local, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  })
  process.exit(result.status ?? 1)
}
const [command, ...rest] = process.argv.slice(2)
if (command === 'devorg') {
  const { runDevorgCli } = await import('../devorg/cli.ts')
  process.exitCode = await runDevorgCli(rest)
} else {
  const { runCli } = await import('../src/cli/run-cli.ts')
  process.exitCode = await runCli(process.argv.slice(2))
}
