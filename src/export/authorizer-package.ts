/**
 * `authorizer.zip`: the REST authorizer bundled by esbuild with the gateway's enforcement code,
 * the scheme's settings compiled in, the org's settings read from the environment at cold start
 * and the contracts from `contracts.json` beside `index.mjs` (a snapshot taken at export: a
 * contract changed or suspended later reaches AWS with the next export).
 */
import type { ContractSnapshot, RestAuthorizerSettings } from './rest-authorizer.ts'
import { writeZip } from './zip-archive.ts'

const HERE = new URL('.', import.meta.url).pathname

export async function packageAuthorizer(
  settings: RestAuthorizerSettings,
  contracts: ContractSnapshot,
): Promise<Buffer> {
  const entry = `
import { readFileSync } from 'node:fs'
import { createRestAuthorizer } from './rest-authorizer.ts'
import { orgFromEnvironment } from './org-from-environment.ts'
const contracts = JSON.parse(readFileSync(new URL('./contracts.json', import.meta.url), 'utf8'))
export const handler = createRestAuthorizer(${JSON.stringify(settings)}, {
  org: () => orgFromEnvironment(process.env),
  contracts,
})
`
  const { build } = await import('esbuild')
  const result = await build({
    stdin: { contents: entry, resolveDir: HERE, sourcefile: 'authorizer-entry.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    write: false,
    outfile: 'index.mjs',
    logLevel: 'silent',
    legalComments: 'none',
    banner: {
      js: "import { createRequire as __forcegateRequire } from 'node:module'; const require = __forcegateRequire(import.meta.url);",
    },
  })
  const code = result.outputFiles.find((f) => f.path.endsWith('index.mjs'))?.contents
  if (code === undefined) throw new Error('esbuild wrote no authorizer module')
  return writeZip([
    { name: 'index.mjs', data: code },
    { name: 'contracts.json', data: Buffer.from(`${JSON.stringify(contracts)}\n`) },
  ])
}
