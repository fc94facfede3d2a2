import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, isAbsolute, join } from 'node:path'
import { parseArgs } from 'node:util'
import { resolveFunctionModule } from '../aws/local-lambda-invoker.ts'
import type { GatewayFile } from '../config/gateway-file-schema.ts'
import { readApiDocument } from '../config/openapi/read-api-document.ts'
import { readSalesforceScheme } from '../config/openapi/read-salesforce-scheme.ts'
import { openApi3Document } from '../config/openapi/swagger2-to-openapi3.ts'
import { readGatewayFile } from '../config/read-gateway-file.ts'
import { resolveSecret } from '../config/secret-ref.ts'
import { loadSourceDocument } from '../config/source-document.ts'
import { ConfigError, ConfigErrors } from '../errors/config-error.ts'
import { packageAuthorizer } from '../export/authorizer-package.ts'
import { cloudFormationTemplate, deployNotes, templateYaml } from '../export/cloudformation-template.ts'
import { contractSnapshot } from '../export/contract-snapshot.ts'
import { ExportRefused, exportOpenApi } from '../export/export-openapi.ts'
import { packageFunction } from '../export/function-package.ts'
import type { ContractSnapshot } from '../export/rest-authorizer.ts'
import { SecretBox } from '../store/secret-box.ts'
import { SqlitePartnerStore } from '../store/sqlite-partner-store.ts'
import { type CliIo, UsageError } from './run-cli.ts'

export const EXPORT_USAGE = `forcegate export aws --api <file> [--config <forcegate.yaml>] [--functions <dir>]… --out <dir> [--check]
  Writes what API Gateway deploys: openapi.json (OpenAPI 3.0.1, AWS's extensions only; each
  x-forcegate-salesforce scheme becomes a REQUEST Lambda authorizer, security on every operation)
  and <function>.zip per Lambda function of the integrations (index.mjs bundled by esbuild),
  forcegate-authorizer-<scheme>.zip per Salesforce scheme (org settings from the Lambda's
  environment; contracts.json: the partner store's contracts at export time), template.yaml
  (CloudFormation: the API, its stage, the functions, permissions, usage plans) and DEPLOY.md.
  What AWS cannot run (a browser session, the portal, the admin API, a Salesforce integration)
  is refused by name.
  --api <file>              the API document (required)
  --config <file>           forcegate.yaml
  --out <dir>               the folder to write (required unless --check)
  --functions <dir>         folder of Lambda handler modules; repeatable (as for serve)
  --check                   validate only; write nothing
  --exclude-unexportable    leave out what AWS cannot run, and list it, instead of refusing
  --help                    show this help
`

export async function exportCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const { values, positionals } = parsed
  if (values.help === true) {
    io.out(EXPORT_USAGE)
    return 0
  }
  if (positionals[0] !== 'aws' || positionals.length !== 1)
    throw new UsageError(`export needs a target: 'forcegate export aws', found '${positionals.join(' ')}'`)
  if (values.api === undefined) throw new UsageError('export aws needs --api <openapi file>')
  const check = values.check === true
  if (!check && values.out === undefined) throw new UsageError('export aws needs --out <dir> (or --check)')

  const configDoc = values.config === undefined ? undefined : await loadSourceDocument(values.config)
  const config = readGatewayFile(configDoc)
  // A Swagger 2.0 document is exported as the OpenAPI 3 document it is read as.
  const apiDoc = openApi3Document(await loadSourceDocument(values.api))
  // Only a document forcegate itself accepts is exported: the same rules, the same messages.
  const api = readApiDocument(apiDoc)
  if (api.problems.length > 0) throw new ConfigErrors(api.problems)

  let result: ReturnType<typeof exportOpenApi>
  try {
    result = exportOpenApi(apiDoc.data, {
      portal: config.portal !== undefined,
      partnersAdmin: config.partners?.admin.token !== undefined,
      excludeUnexportable: values['exclude-unexportable'] === true,
    })
  } catch (err) {
    if (!(err instanceof ExportRefused)) throw err
    const lines = err.items.map(
      (i) => `  ${i.what}${i.pointer === '' ? '' : ` at ${i.pointer}`}: ${i.reason}`,
    )
    io.err(
      `forcegate: cannot export to AWS\n${lines.join('\n')}\n` +
        `(--exclude-unexportable leaves out what AWS cannot run, and lists it)\n`,
    )
    return 1
  }
  const report = [
    ...result.excluded.map((i) => `excluded ${i.what}: ${i.reason}`),
    ...result.adjusted.map((a) => `adjusted ${a}`),
    ...result.authorizers.map((a) => `authorizer ${a.functionName} (scheme ${a.scheme})`),
    ...result.functions.map((f) => `function ${f}`),
  ]
  // The same folders serve searches, so what is packaged is what the gateway runs.
  const folders = [
    ...(values.functions ?? []),
    ...config.functions.map((f) => (configDoc === undefined ? f : join(dirname(configDoc.file), f))),
  ]
  if (folders.length === 0) folders.push(join(dirname(values.api), 'functions'))
  const packages = new Map<string, Buffer>()
  for (const name of result.functions)
    packages.set(name, await packageFunction(await resolveFunctionModule(name, folders, apiDoc.file)))
  const orgs = new Set(Object.keys(config.salesforce.orgs))
  const specs = result.authorizers.map((a) =>
    readSalesforceScheme(apiDoc.file, api.securitySchemes.get(a.scheme)!, api.title, orgs, apiDoc.lineOf),
  )
  const contractApis = new Set(specs.filter((s) => s.contract).map((s) => s.api))
  const contracts = contractApis.size === 0 ? {} : await readContracts(config, configDoc?.file, contractApis)
  for (const [i, a] of result.authorizers.entries()) {
    const spec = specs[i]!
    const settings = {
      scheme: a.scheme,
      accept: spec.accept,
      scopeMatch: spec.scopeMatch,
      contractApi: spec.contract ? spec.api : undefined,
      cacheTtlSeconds: spec.cacheTtlSeconds,
      negativeCacheTtlSeconds: spec.negativeCacheTtlSeconds,
      routes: result.routes.filter((r) => r.scheme === a.scheme),
    }
    packages.set(a.functionName, await packageAuthorizer(settings, contracts))
  }
  if (check) {
    io.out(`${report.map((l) => `${l}\n`).join('')}export aws: the API can be exported\n`)
    return 0
  }
  const out = values.out as string
  await mkdir(out, { recursive: true })
  const written = [join(out, 'openapi.json'), join(out, 'template.yaml'), join(out, 'DEPLOY.md')]
  await writeFile(written[0]!, `${JSON.stringify(result.document, null, 2)}\n`)
  const template = cloudFormationTemplate({
    title: api.title,
    document: result.document,
    functions: result.functions,
    authorizers: result.authorizers.map((a) => a.functionName),
    usagePlans: config.partners?.usagePlans ?? [],
  })
  await writeFile(written[1]!, templateYaml(template))
  const stack =
    api.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'forcegate-api'
  await writeFile(written[2]!, deployNotes(stack))
  for (const [name, zip] of packages) {
    written.push(join(out, `${name}.zip`))
    await writeFile(join(out, `${name}.zip`), zip)
  }
  io.out(`${report.map((l) => `${l}\n`).join('')}${written.map((w) => `wrote ${w}\n`).join('')}`)
  return 0
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      api: { type: 'string' },
      config: { type: 'string' },
      out: { type: 'string' },
      functions: { type: 'string', multiple: true },
      check: { type: 'boolean' },
      'exclude-unexportable': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}

/** The contracts as the gateway would decide them now, from the partner store of forcegate.yaml. */
async function readContracts(
  config: GatewayFile,
  configFile: string | undefined,
  apis: ReadonlySet<string>,
): Promise<ContractSnapshot> {
  const partners = config.partners
  const file = configFile ?? '(defaults)'
  if (partners === undefined)
    throw new UsageError('a scheme requires contracts: export aws needs --config with its partners section')
  // Reading the SQLite file here would export an empty or stale snapshot, not the shared store.
  if (config.stores.postgres !== undefined)
    throw new ConfigError(
      file,
      '/stores/postgres',
      'export aws reads contracts from the SQLite partner store only; the PostgreSQL store is not exported yet',
    )
  const path =
    isAbsolute(partners.store.path) || configFile === undefined
      ? partners.store.path
      : join(dirname(configFile), partners.store.path)
  const box = SecretBox.fromBase64(resolveSecret(partners.encryption.key, file, '/partners/encryption/key'))
  const store = new SqlitePartnerStore({ path, secretBox: box })
  try {
    return await contractSnapshot(store, apis)
  } finally {
    await store.close()
  }
}
