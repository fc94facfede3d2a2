import { readFileSync } from 'node:fs'
import { ConfigError, ConfigErrors } from '../errors/config-error.ts'
import { ARCHIVE_USAGE, archiveCommand } from './archive-command.ts'
import { explainCommand } from './explain-command.ts'
import { exportCommand } from './export-command.ts'
import { loginCommand } from './login-command.ts'
import { migrateCommand } from './migrate-command.ts'
import { partnersCommand } from './partners-command.ts'
import { RELAY_USAGE, relayCommand } from './relay-command.ts'
import { serveCommand } from './serve-command.ts'
import { syncCommand } from './sync-command.ts'
import { usage } from './usage.ts'

export interface CliIo {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
}

const defaultIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
}

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
  return pkg.version
}

/** The verbs whose commands leave --help to the dispatcher (the others answer it themselves). */
const VERB_HELP: Readonly<Record<string, () => string>> = {
  relay: () => RELAY_USAGE,
  archive: () => ARCHIVE_USAGE,
}

/** Entry of the `forcegate` command; resolves with the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (command === undefined) {
      io.err(usage())
      return 2
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      io.out(usage())
      return 0
    }
    const help = VERB_HELP[command]
    if (help !== undefined && rest.some((arg) => arg === '--help' || arg === '-h')) {
      io.out(help())
      return 0
    }
    if (command === '--version' || command === '-v') {
      io.out(`forcegate ${version()}\n`)
      return 0
    }
    if (command === 'serve') return await serveCommand(rest, io)
    if (command === 'explain') return await explainCommand(rest, io)
    if (command === 'login') return await loginCommand(rest, io)
    if (command === 'partners') return await partnersCommand(rest, io)
    if (command === 'relay') return await relayCommand(rest, io)
    if (command === 'sync') return await syncCommand(rest, io)
    if (command === 'archive') return await archiveCommand(rest, io)
    if (command === 'export') return await exportCommand(rest, io)
    if (command === 'migrate') return await migrateCommand(rest, io)
    io.err(`forcegate: unknown command '${command}'\n\n${usage()}`)
    return 2
  } catch (err) {
    if (err instanceof ConfigError || err instanceof ConfigErrors) {
      io.err(`forcegate: configuration error\n${err.message}\n`)
      return 1
    }
    if (err instanceof UsageError) {
      io.err(`forcegate: ${err.message}\nRun 'forcegate --help' for usage.\n`)
      return 2
    }
    throw err
  }
}

/** Wrong flags or arguments on the command line. */
export class UsageError extends Error {}
