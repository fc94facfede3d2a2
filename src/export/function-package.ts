/**
 * A Lambda deployment package of one handler module: esbuild bundles it with the packages it
 * imports (Lambda has no node_modules of the project) into `index.mjs`, so the function's
 * handler setting is `index.handler` on a Node.js runtime. Files a handler reads at run time
 * (rather than imports) are not followed: they are the handler's own to package.
 */
import { dirname } from 'node:path'
import { writeZip } from './zip-archive.ts'

export const PACKAGE_HANDLER = 'index.handler'
export const PACKAGE_RUNTIME = 'nodejs22.x'

/** The bundled ES module of `entry`, ready to be `index.mjs` of a package. */
export async function bundleModule(entry: string): Promise<Uint8Array> {
  const { build } = await import('esbuild')
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: dirname(entry),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    write: false,
    outfile: 'index.mjs',
    logLevel: 'silent',
    legalComments: 'none',
    // CommonJS dependencies keep a working require inside the ES module.
    banner: {
      js: "import { createRequire as __forcegateRequire } from 'node:module'; const require = __forcegateRequire(import.meta.url);",
    },
  })
  const code = result.outputFiles.find((f) => f.path.endsWith('index.mjs'))?.contents
  if (code === undefined) throw new Error(`esbuild wrote no module for ${entry}`)
  return code
}

export async function packageFunction(entry: string): Promise<Buffer> {
  return writeZip([{ name: 'index.mjs', data: await bundleModule(entry) }])
}
