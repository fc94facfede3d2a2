import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { terminalSafe, terminalSafeJson } from '../partners/control-characters.ts'
import { DcrClient } from '../partners/dcr-client.ts'
import { isDcrError } from '../partners/dcr-error.ts'
import { loadOrCreateEncryptionKey } from '../partners/encryption-key-file.ts'
import { isPartnerError, PartnerError } from '../partners/partner-error.ts'
import { PartnerService } from '../partners/partner-service.ts'
import { credentialsText, partnerDetails, partnerTable } from '../partners/partner-text.ts'
import { PARTNERS_DEFAULTS } from '../partners/partners-config.ts'
import { SecretBox } from '../store/secret-box.ts'
import { SqlitePartnerStore } from '../store/sqlite-partner-store.ts'
import { isStoreError } from '../store/store-error.ts'
import { orgUrl as checkOrgUrl } from './org-url.ts'

export interface PartnersIo {
  out(text: string): void
  err(text: string): void
}

export const PARTNERS_USAGE = `forcegate partners <verb> [options]
  register --name <name> --redirect-uri <uri> [--redirect-uri <uri>]… --api <api> [--api <api>]…
           [--scopes "api refresh_token"] [--plan <usage plan>] [--contact <email>]
           [--partner <id>]   the owning partner (default: the name)
  list
  show <clientId>
  suspend <clientId> | resume <clientId>   the client's partner: every client it owns
  suspend --partner <id> | resume --partner <id>
  rotate <clientId>     new client id and secret; the old client is deleted at the org
  delete <clientId> [--force]   --force removes it locally even when the org refuses
Options:
  --org <url>           the org (default FORCEGATE_ORG_URL); register, rotate and delete need it
  --store <file>        partner database (default $FORCEGATE_HOME/partners.db, else
                        ${PARTNERS_DEFAULTS.store.path})
  --json                machine-readable output
  --help                show this help
Environment:
  FORCEGATE_HOME                  the folder npm start keeps its state in (default .forcegate)
  FORCEGATE_INITIAL_ACCESS_TOKEN  the org's initial access token for registration
  FORCEGATE_ENCRYPTION_KEY        32 bytes, base64; when unset, encryption.key beside the store
                                  is used, or generated (0600) for a new store
`

class UsageProblem extends Error {}

const OPTIONS = {
  org: { type: 'string' },
  store: { type: 'string' },
  json: { type: 'boolean' },
  name: { type: 'string' },
  'redirect-uri': { type: 'string', multiple: true },
  api: { type: 'string', multiple: true },
  scopes: { type: 'string' },
  plan: { type: 'string' },
  contact: { type: 'string' },
  partner: { type: 'string' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values']

/**
 * `forcegate partners …`: the partner service on the command line, over the same store the
 * gateway uses. Exit codes: 0 done, 1 the org or the store failed, 2 wrong usage.
 */
export async function partnersCommand(
  argv: readonly string[],
  io: PartnersIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let values: Values
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    }))
  } catch (error) {
    io.err(`forcegate partners: ${(error as Error).message}\n\n${PARTNERS_USAGE}`)
    return 2
  }
  const [verb, clientId, ...extra] = positionals
  if (values.help === true || verb === undefined) {
    ;(verb === undefined && values.help !== true ? io.err : io.out)(PARTNERS_USAGE)
    return values.help === true ? 0 : 2
  }
  try {
    if (extra.length > 0) throw new UsageProblem(`unexpected argument '${extra[0]}'`)
    return await run(verb, clientId, values, io, env)
  } catch (error) {
    return report(error, values.json === true, io)
  }
}

async function run(
  verb: string,
  clientId: string | undefined,
  values: Values,
  io: PartnersIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const needsId = ['show', 'suspend', 'resume', 'rotate', 'delete']
  const byPartner = ['suspend', 'resume'].includes(verb) && values.partner !== undefined
  if (!['register', 'list', ...needsId].includes(verb)) throw new UsageProblem(`unknown verb '${verb}'`)
  if (byPartner && clientId !== undefined)
    throw new UsageProblem(`${verb} takes a <clientId> or --partner <id>, not both`)
  if (needsId.includes(verb) && clientId === undefined && !byPartner)
    throw new UsageProblem(`${verb} needs a <clientId>`)
  if (!needsId.includes(verb) && clientId !== undefined)
    throw new UsageProblem(`unexpected argument '${clientId}'`)
  const json = values.json === true
  // Stored values may hold control characters (from the org, or an older store): escaped for terminals.
  const print = (value: unknown, text: string) =>
    io.out(json ? `${terminalSafeJson(JSON.stringify(value, null, 2))}\n` : text)

  const orgUrl = values.org ?? env.FORCEGATE_ORG_URL
  if (['register', 'rotate', 'delete'].includes(verb) && orgUrl === undefined)
    throw new UsageProblem(`${verb} needs --org <url> or FORCEGATE_ORG_URL`)
  if (orgUrl !== undefined) {
    try {
      checkOrgUrl(orgUrl, values.org === undefined ? 'FORCEGATE_ORG_URL' : '--org')
    } catch (err) {
      throw new UsageProblem((err as Error).message)
    }
  }
  // npm start keeps the store in FORCEGATE_HOME: the CLI finds it there by default too.
  const storePath =
    values.store ??
    (env.FORCEGATE_HOME === undefined || env.FORCEGATE_HOME === ''
      ? PARTNERS_DEFAULTS.store.path
      : join(env.FORCEGATE_HOME, 'partners.db'))
  const keyFile = join(dirname(storePath), 'encryption.key')
  const loaded = loadOrCreateEncryptionKey(env.FORCEGATE_ENCRYPTION_KEY, keyFile, storePath)
  if (loaded.source === 'generated')
    io.err(
      `Generated a new encryption key in ${keyFile} (mode 0600). Keep it: stored secrets cannot be read without it.\n`,
    )
  if (loaded.warning !== undefined) io.err(`warning: ${loaded.warning}\n`)

  const store = new SqlitePartnerStore({ path: storePath, secretBox: SecretBox.fromBase64(loaded.key) })
  try {
    // The plans the gateway serving this store knows: the CLI refuses what it would refuse.
    const recorded = await store.recordedUsagePlans()
    const knownPlans = recorded === undefined ? undefined : new Set(recorded)
    const service = new PartnerService({
      store,
      registrar: new DcrClient({
        orgUrl: orgUrl ?? 'http://127.0.0.1',
        initialAccessToken: () => env.FORCEGATE_INITIAL_ACCESS_TOKEN,
      }),
      usagePlanNames: knownPlans ?? new Set(),
    })
    switch (verb) {
      case 'register': {
        if (values.name === undefined) throw new UsageProblem('register needs --name')
        if (values['redirect-uri'] === undefined) throw new UsageProblem('register needs --redirect-uri')
        if (values.api === undefined) throw new UsageProblem('register needs --api')
        const scopes = (values.scopes ?? 'api refresh_token').split(/\s+/).filter(Boolean)
        if (values.plan !== undefined && knownPlans === undefined)
          throw new PartnerError(
            'PARTNER_INVALID_INPUT',
            `unknown usage plan ${JSON.stringify(values.plan)}: no gateway has opened this store yet, so no usage plans are known (start the gateway with its forcegate.yaml first)`,
            'usagePlan',
          )
        const result = await service.register({
          name: values.name,
          redirectUris: values['redirect-uri'],
          contracts: values.api.map((api) => ({ api, scopes, usagePlan: values.plan })),
          contact: values.contact,
          partnerId: values.partner,
        })
        print(
          result,
          `Registered partner client.\n${credentialsText(result.credentials)}\n${partnerDetails(result.partner)}`,
        )
        return 0
      }
      case 'list': {
        const partners = await service.list()
        print({ partners }, partnerTable(partners))
        return 0
      }
      case 'show': {
        const partner = await service.show(clientId!)
        print({ partner }, partnerDetails(partner))
        return 0
      }
      case 'suspend':
      case 'resume': {
        const partnerId = values.partner ?? (await service.show(clientId!)).partnerId
        const summary =
          verb === 'suspend'
            ? await service.suspendPartner(partnerId)
            : await service.resumePartner(partnerId)
        const clients = summary.clients.map((c) => c.clientId).join(', ') || 'none'
        print(
          { partner: summary },
          `Partner ${terminalSafe(summary.partnerId)} is now ${summary.status} (clients: ${clients}).\n`,
        )
        return 0
      }
      case 'rotate': {
        const result = await service.rotate(clientId!)
        const old = result.previousClientRemoved
          ? `The old client ${terminalSafe(result.previousClientId)} was deleted at the org.`
          : `The org did not delete the old client ${terminalSafe(result.previousClientId)}; it is kept suspended. Retry: forcegate partners delete ${terminalSafe(result.previousClientId)}`
        print(
          result,
          `Rotated: the client id and secret both changed.\n${credentialsText(result.credentials)}${old}\n`,
        )
        return 0
      }
      default: {
        const result = await service.delete(clientId!, { force: values.force === true })
        print(
          result,
          result.removedAtOrg
            ? `Deleted ${terminalSafe(result.clientId)} at the org and locally.\n`
            : `Deleted ${terminalSafe(result.clientId)} locally; the org refused to delete it.\n`,
        )
        return 0
      }
    }
  } finally {
    await store.close()
  }
}

function report(error: unknown, json: boolean, io: PartnersIo): number {
  let code = 'ERROR'
  let field: string | undefined
  let exit = 1
  if (error instanceof UsageProblem) {
    code = 'USAGE'
    exit = 2
  } else if (isPartnerError(error)) {
    code = error.code
    field = error.field
    exit = error.code === 'PARTNER_INVALID_INPUT' ? 2 : 1
  } else if (isDcrError(error) || isStoreError(error)) code = error.code
  else if (!(error instanceof Error)) throw error
  // Messages may quote input (a plan name, a URI): escaped like every other terminal output.
  const raw = (error as Error).message
  const message = terminalSafe(raw)
  if (json)
    io.err(
      `${terminalSafeJson(JSON.stringify({ error: { code, message: raw, ...(field ? { field } : {}) } }))}\n`,
    )
  else io.err(`forcegate partners: ${message}${code === 'USAGE' || code === 'ERROR' ? '' : ` [${code}]`}\n`)
  if (code === 'USAGE' && !json) io.err(`\n${PARTNERS_USAGE}`)
  return exit
}
