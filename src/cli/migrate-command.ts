import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { readGatewayFile } from '../config/read-gateway-file.ts'
import { resolveSecret, type SecretRef } from '../config/secret-ref.ts'
import { loadSourceDocument } from '../config/source-document.ts'
import { type ImportCounts, importSqlitePartners } from '../store/postgres-import.ts'
import type { PostgresPartnerStore } from '../store/postgres-partner-store.ts'
import { SecretBox } from '../store/secret-box.ts'
import { SqlitePartnerStore } from '../store/sqlite-partner-store.ts'
import { isStoreError } from '../store/store-error.ts'
import { type CliIo, UsageError } from './run-cli.ts'

export const MIGRATE_USAGE = `forcegate migrate --from <partners.db> [--to env:NAME | file:PATH] [--config forcegate.yaml]
  Copies a SQLite partner store into PostgreSQL: partners, clients with their contracts and
  secrets (sealed again with the active key), the audit trail. Running it again copies only
  what is missing. The URL is read from the variable or file --to names, else from the
  configuration's stores.postgres.url; the encryption keys from its partners.encryption, else
  FORCEGATE_ENCRYPTION_KEY, else encryption.key beside the store.
`

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

/** `env:NAME` or `file:PATH`: a URL with a password never goes on a command line. */
function parseUrlRef(value: string): SecretRef {
  if (value.startsWith('env:') && /^[A-Za-z_][A-Za-z0-9_]*$/.test(value.slice(4)))
    return { env: value.slice(4) }
  if (value.startsWith('file:') && value.length > 5) return { file: value.slice(5) }
  throw new UsageError(
    `--to takes env:NAME or file:PATH (the PostgreSQL URL is read from there), not '${value}'`,
  )
}

interface Target {
  readonly url: string
  readonly box: SecretBox
}

async function target(
  values: { from: string; to?: string; config?: string },
  env: NodeJS.ProcessEnv,
): Promise<Target> {
  const toRef = values.to === undefined ? undefined : parseUrlRef(values.to)
  if (values.config !== undefined) {
    const doc = await loadSourceDocument(values.config)
    const config = readGatewayFile(doc)
    const urlRef = toRef ?? config.stores.postgres?.url
    if (urlRef === undefined)
      throw new UsageError(`migrate needs --to, or stores.postgres.url in ${values.config}`)
    const url = resolveSecret(urlRef, toRef === undefined ? doc.file : '(--to)', '/stores/postgres/url', env)
    const partners = config.partners
    if (partners === undefined)
      throw new UsageError(`${values.config} has no partners section (its encryption keys)`)
    const secret = (ref: SecretRef, pointer: string) =>
      resolveSecret(ref, doc.file, `/partners${pointer}`, env)
    const box = SecretBox.fromBase64(
      secret(partners.encryption.key, '/encryption/key'),
      partners.encryption.previousKeys.map((ref, i) => secret(ref, `/encryption/previousKeys/${i}`)),
    )
    return { url, box }
  }
  if (toRef === undefined) throw new UsageError('migrate needs --to env:NAME | file:PATH, or --config')
  const url = resolveSecret(toRef, join(process.cwd(), '(--to)'), '/stores/postgres/url', env)
  const keyFile = join(dirname(values.from), 'encryption.key')
  const key =
    env.FORCEGATE_ENCRYPTION_KEY?.trim() || (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '')
  if (key === '')
    throw new UsageError(`no encryption key: set FORCEGATE_ENCRYPTION_KEY, pass --config, or keep ${keyFile}`)
  return { url, box: SecretBox.fromBase64(key) }
}

const line = (name: string, c: ImportCounts) =>
  `  ${name.padEnd(10)} ${c.copied} copied, ${c.present} already there\n`

/** `forcegate migrate`: exit 0 done, 1 a store failed, 2 wrong usage. */
export async function migrateCommand(
  argv: readonly string[],
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let values: { from?: string; to?: string; config?: string; help?: boolean }
  try {
    ;({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true }))
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  if (values.help === true) {
    io.out(MIGRATE_USAGE)
    return 0
  }
  const from = values.from
  if (from === undefined) throw new UsageError('migrate needs --from <partners.db>')
  if (!existsSync(from)) throw new UsageError(`${from} does not exist`)
  const { url, box } = await target({ ...values, from }, env)
  let source: SqlitePartnerStore | undefined
  let destination: PostgresPartnerStore | undefined
  try {
    source = new SqlitePartnerStore({ path: from, secretBox: box })
    const { PostgresPartnerStore } = await import('../store/postgres-partner-store.ts')
    destination = await PostgresPartnerStore.open({ url, secretBox: box, queryTimeoutMs: 10_000 })
    const summary = await importSqlitePartners(source, from, destination)
    io.out(
      `migrated ${from} into PostgreSQL\n` +
        line('partners', summary.partners) +
        line('clients', summary.clients) +
        line('contracts', summary.contracts) +
        line('events', summary.events),
    )
    return 0
  } catch (error) {
    // Store errors name the problem without a secret; the URL (with its password) is never printed.
    io.err(`forcegate migrate: ${isStoreError(error) ? error.message : (error as Error).message}\n`)
    return 1
  } finally {
    await source?.close()
    await destination?.close()
  }
}
