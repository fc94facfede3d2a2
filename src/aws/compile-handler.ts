import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { setSourceMapsSupport } from 'node:module'
import { dirname, extname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Loader, Message, Plugin } from 'esbuild'

/**
 * TypeScript handlers are compiled on load the way Lambda projects bundle them (esbuild), not
 * type-stripped by Node: enums, namespaces, parameter properties, extensionless relative
 * imports and tsconfig `paths` all work. Packages stay imports (resolved from the project's
 * node_modules), so the compiled module is written inside the project, under
 * `.forcegate/handlers/` beside the nearest package.json, and reused while every input file's
 * content hash is unchanged.
 */
export async function compileHandler(entry: string): Promise<string> {
  const cacheDir = join(projectRoot(entry), '.forcegate', 'handlers')
  const manifestFile = join(cacheDir, `${sha256(entry).slice(0, 16)}.json`)
  const cached = await reusable(manifestFile)
  if (cached !== undefined) return cached
  await mkdir(cacheDir, { recursive: true })
  const outfile = join(cacheDir, `${sha256(entry).slice(0, 16)}.mjs`)
  // esbuild loads with the first handler it compiles: a gateway of JavaScript handlers never holds it.
  const { build } = await import('esbuild')
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: dirname(entry),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    packages: 'external',
    sourcemap: 'inline',
    sourcesContent: false,
    write: false,
    outfile,
    metafile: true,
    logLevel: 'silent',
    // CommonJS code (and packages it requires) keeps a working require inside the ES module.
    banner: {
      js: "import { createRequire as __forcegateRequire } from 'node:module'; const require = __forcegateRequire(import.meta.url);",
    },
    plugins: [fileLocals],
  })
  const code = result.outputFiles.find((f) => f.path.endsWith('.mjs'))?.contents
  if (code === undefined) throw new Error(`esbuild wrote no module for ${entry}`)
  // Named by content, so a process that already imported an older build never sees it change.
  const output = join(cacheDir, `${sha256(Buffer.from(code)).slice(0, 16)}.mjs`)
  await writeAtomically(output, code)
  const inputs: Record<string, string> = {}
  for (const input of Object.keys(result.metafile.inputs)) {
    const file = resolve(dirname(entry), input)
    inputs[file] = sha256(await readFile(file))
  }
  await writeAtomically(manifestFile, JSON.stringify({ output, inputs }))
  // Stacks of compiled handlers point at the user's .ts lines.
  setSourceMapsSupport(true)
  return output
}

/** esbuild's refusal of a handler, as `file:line:column: text` lines a user can act on. */
export function compileFailure(err: unknown, entry: string): string | undefined {
  const errors = (err as { errors?: Message[] }).errors
  if (!Array.isArray(errors) || errors.length === 0) return undefined
  return errors
    .slice(0, 5)
    .map((m) => {
      const at = m.location
      const where = at === null ? entry : `${resolve(dirname(entry), at.file)}:${at.line}:${at.column + 1}`
      return `${where}: ${m.text}`
    })
    .join('; ')
}

async function reusable(manifestFile: string): Promise<string | undefined> {
  let manifest: { output: string; inputs: Record<string, string> }
  try {
    manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as typeof manifest
  } catch {
    return undefined
  }
  if (!existsSync(manifest.output)) return undefined
  for (const [file, hash] of Object.entries(manifest.inputs)) {
    try {
      if (sha256(await readFile(file)) !== hash) return undefined
    } catch {
      return undefined
    }
  }
  setSourceMapsSupport(true)
  return manifest.output
}

/** The folder whose node_modules the handler's packages come from: the nearest package.json's. */
function projectRoot(entry: string): string {
  let dir = dirname(entry)
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir
    const parent = dirname(dir)
    if (parent === dir) return dirname(entry)
    dir = parent
  }
}

const LOADERS: Record<string, Loader> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.jsx': 'jsx',
}

/**
 * In one bundle every file would otherwise see the compiled module's location: each file keeps
 * its own `import.meta.url|dirname|filename`, and CommonJS code its free `__dirname` and
 * `__filename`, so a handler reading a file beside itself still finds it. Lines are preserved.
 */
const fileLocals: Plugin = {
  name: 'forcegate-file-locals',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async ({ path }) => {
      if (path.includes('/node_modules/')) return undefined
      const text = await readFile(path, 'utf8')
      const values = {
        url: JSON.stringify(pathToFileURL(path).href),
        dirname: JSON.stringify(dirname(path)),
        filename: JSON.stringify(path),
      }
      let contents = text.replace(
        /\bimport\.meta\.(url|dirname|filename)\b/g,
        (_, key: keyof typeof values) => values[key],
      )
      const locals: string[] = []
      for (const [name, value] of [
        ['__dirname', values.dirname],
        ['__filename', values.filename],
      ] as const) {
        const declared = new RegExp(`\\b(const|let|var|function|import)\\b[^;\\n]*\\b${name}\\b`)
        if (new RegExp(`\\b${name}\\b`).test(contents) && !declared.test(contents))
          locals.push(`var ${name} = ${value};`)
      }
      // On the first line, so every line keeps its number.
      if (locals.length > 0) contents = locals.join(' ') + contents
      return { contents, loader: LOADERS[extname(path)] ?? 'js' }
    })
  },
}

async function writeAtomically(file: string, contents: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`
  await writeFile(temporary, contents)
  await rename(temporary, file)
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}
