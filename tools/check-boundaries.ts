/**
 * The layer rules of ARCHITECTURE.md, checked on every CI run: which top-level folder of src/
 * may import which, auth and integrations meeting only in pipeline/, and the gateway and the
 * dev org never importing each other. Prints each violation and exits 1 when there is one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..')

const ALLOWED: Record<string, readonly string[]> = {
  lib: [],
  errors: ['lib'],
  cache: ['lib', 'errors'],
  observability: ['lib', 'errors'],
  aws: ['lib', 'errors'],
  http: ['lib', 'errors', 'observability'],
  events: ['lib', 'errors', 'http'],
  dialect: ['lib', 'errors', 'events'],
  config: ['lib', 'errors', 'dialect', 'aws/function-ref.ts'],
  auth: ['lib', 'errors', 'cache', 'observability', 'aws', 'events', 'http', 'dialect'],
  integrations: ['lib', 'errors', 'cache', 'observability', 'aws', 'events', 'http'],
  partners: ['lib', 'errors', 'cache', 'observability', 'store', 'config'],
  store: ['lib', 'errors'],
  portal: ['lib', 'errors', 'cache', 'observability', 'store', 'partners', 'http', 'config'],
  flows: ['lib', 'errors', 'cache', 'observability', 'aws', 'events', 'http', 'store', 'integrations'],
  relay: ['lib', 'errors', 'cache', 'aws', 'config'],
  export: ['lib', 'errors', 'aws', 'config', 'auth', 'store'],
  pipeline: ['*'],
  cli: ['*'],
}

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) yield* files(path)
    else if (path.endsWith('.ts')) yield path
  }
}

const IMPORT = /(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g

function layerOf(relPath: string): string | undefined {
  const parts = relPath.split(sep)
  if (parts[0] !== 'src') return parts[0]
  return parts.length === 2 ? '' : parts[1]
}

const violations: string[] = []
for (const top of ['src', 'devorg']) {
  let all: string[]
  try {
    all = [...files(join(ROOT, top))]
  } catch {
    continue
  }
  for (const file of all) {
    const from = relative(ROOT, file)
    const fromLayer = layerOf(from)
    const source = readFileSync(file, 'utf8')
    for (const match of source.matchAll(IMPORT)) {
      const target = relative(ROOT, resolve(dirname(file), match[1]!))
      const toTop = target.split(sep)[0]
      if (top === 'src' && toTop === 'devorg')
        violations.push(`${from}: the gateway never imports the dev org (${target})`)
      if (top === 'devorg' && toTop === 'src')
        violations.push(`${from}: the dev org is standalone; it imports nothing from src (${target})`)
      if (top !== 'src' || toTop !== 'src' || fromLayer === undefined || fromLayer === '') continue
      const toLayer = layerOf(target)
      if (toLayer === fromLayer || toLayer === undefined) continue
      const allowed = ALLOWED[fromLayer] ?? []
      const inner = target.split(sep).slice(1).join('/')
      if (allowed.includes('*') || allowed.includes(toLayer ?? '') || allowed.includes(inner)) continue
      violations.push(
        `${from}: ${fromLayer}/ may not import ${toLayer === '' ? inner : `${toLayer}/`} (${target})`,
      )
    }
  }
}
if (violations.length > 0) {
  process.stderr.write(`Layer rule violations:\n${violations.map((v) => `  ${v}`).join('\n')}\n`)
  process.exit(1)
}
process.stdout.write('check-boundaries: layer rules hold\n')
