import { createRequire, registerHooks } from 'node:module'
import { sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** CommonJS modules are cached by file name whatever the URL they were imported by. */
const commonJs = createRequire(import.meta.url).cache

let generation = 0
const folders: string[] = []
let registered = false

/**
 * ES modules are cached by URL for the life of the process: to import an edited handler again,
 * every module under a watched folder is resolved with a query naming the current generation,
 * which each reload advances. Unchanged TypeScript handlers keep their compiled file and
 * modules outside the folders (packages) keep their one instance. Old generations stay in
 * memory; watch mode is for development.
 */
export function reloadModulesUnder(folder: string): void {
  const prefix = pathToFileURL(folder.endsWith('/') ? folder : `${folder}/`).href
  if (!folders.includes(prefix)) folders.push(prefix)
  if (registered) return
  registered = true
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context)
      const { url: href } = resolved
      if (generation === 0 || href.includes('/node_modules/') || !folders.some((f) => href.startsWith(f)))
        return resolved
      const url = new URL(resolved.url)
      url.searchParams.set('forcegate-generation', String(generation))
      return { ...resolved, url: url.href }
    },
  })
}

/** The next import of a module under a watched folder loads it afresh, CommonJS ones too. */
export function nextModuleGeneration(): void {
  generation++
  const paths = folders.map((f) => fileURLToPath(f))
  for (const file of Object.keys(commonJs))
    if (!file.includes(`${sep}node_modules${sep}`) && paths.some((p) => file.startsWith(p)))
      delete commonJs[file]
}
