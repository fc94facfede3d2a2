#!/usr/bin/env node
// forcegate runs on Node.js 24 (TypeScript without a build step). When started by an older
// Node, hand over to the Node 24 binary the project installs, if there is one.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { handOver, stopWithParent } from './node-handover.js'

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
  handOver(local, fileURLToPath(import.meta.url), process.argv.slice(2))
} else {
  stopWithParent()
  await runCommand(process.argv.slice(2))
}

async function runCommand(argv) {
  const [command, ...rest] = argv
  if (command === 'devorg') {
    const { runDevorgCli } = await import('../devorg/cli.ts')
    process.exitCode = await runDevorgCli(rest)
  } else {
    const { runCli } = await import('../src/cli/run-cli.ts')
    process.exitCode = await runCli(argv)
  }
}
