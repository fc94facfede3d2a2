import { randomBytes } from 'node:crypto'
import { dirname, extname, resolve } from 'node:path'
import { ConfigError } from '../../errors/config-error.ts'
import { readApiDocument } from '../openapi/read-api-document.ts'
import { openApi3Document } from '../openapi/swagger2-to-openapi3.ts'
import { parseTemplateText } from '../sam/cloudformation-yaml.ts'
import { readSamTemplate } from '../sam/read-sam-template.ts'
import type { SourceDocument } from '../source-document.ts'
import type { ApiSource } from './function-source.ts'
import { readServerlessFile } from './read-serverless-file.ts'
import { resolveVariables, type VariableSources } from './resolve-variables.ts'

/** What the API file is: an OpenAPI document, a Serverless Framework service, a SAM template. */
export type ApiFormat = 'openapi' | 'serverless' | 'sam'

export interface ApiSourceIo {
  readonly readText: (file: string) => Promise<string>
  readonly loadDocument: (file: string) => Promise<SourceDocument>
  readonly env: Readonly<Record<string, string | undefined>>
  readonly stage: string | undefined
  /** A value for an API key the file names without one (random unless a test fixes it). */
  readonly newApiKey?: () => string
}

const newApiKey = (): string => randomBytes(24).toString('base64url')

/**
 * Reads the API file in its format into the one input the route compiler takes. A
 * serverless.yml and a SAM template also name their functions' modules, loaded by file and
 * export; the functions' environment variables are checked to agree, since local handlers
 * share one process.
 */
export async function readApiSource(file: string, format: ApiFormat, io: ApiSourceIo): Promise<ApiSource> {
  if (format === 'openapi') {
    // Compiling the routes reports at pointers into the document read (Swagger 2.0 converted).
    const doc = openApi3Document(await io.loadDocument(file))
    return { api: readApiDocument(doc), doc, functions: [], notices: [] }
  }
  if (format === 'serverless') {
    const doc = await io.loadDocument(file)
    const sources = { stage: io.stage, region: io.env.AWS_REGION, env: io.env }
    const files = await readVariableFiles(doc, io.readText, sources)
    return withSharedEnvironment(readServerlessFile(doc, { ...sources, files }, io.newApiKey ?? newApiKey))
  }
  let text: string
  try {
    text = await io.readText(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new ConfigError(
      file,
      '',
      code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? 'error'})`,
    )
  }
  const parameters: Record<string, string> = {}
  for (const [k, v] of Object.entries(io.env))
    if (k.startsWith('FORCEGATE_PARAMETER_') && v !== undefined) parameters[k.slice(20)] = v
  return withSharedEnvironment(
    await readSamTemplate(parseTemplateText(file, text), {
      region: io.env.AWS_REGION,
      stage: io.stage,
      parameters,
      loadDocument: io.loadDocument,
      environment: io.env,
      newApiKey: io.newApiKey ?? newApiKey,
    }),
  )
}

/**
 * The files `${file(…)}` names, beside serverless.yml: YAML and JSON parsed, other files as
 * text (as the framework reads them); JavaScript resolvers are not run.
 */
async function readVariableFiles(
  doc: SourceDocument,
  readText: (file: string) => Promise<string>,
  { stage, region, env }: Omit<VariableSources, 'files' | 'wanted'>,
): Promise<Map<string, { value: unknown } | { missing: string }>> {
  const out = new Map<string, { value: unknown } | { missing: string }>()
  const folder = dirname(resolve(doc.file))
  // A path may be built from variables (`${file(./config/${sls:stage}.yml)}`), and a file's
  // values may name further files: resolving until no new file is wanted finds them all.
  for (let round = 0; round < 5; round++) {
    const wanted = new Set<string>()
    resolveVariables(doc.data, { stage, region, env, files: out, wanted }, [])
    if (wanted.size === 0) break
    await readFiles(wanted, out, folder, readText)
  }
  return out
}

async function readFiles(
  paths: ReadonlySet<string>,
  out: Map<string, { value: unknown } | { missing: string }>,
  folder: string,
  readText: (file: string) => Promise<string>,
): Promise<void> {
  for (const path of paths) {
    const full = resolve(folder, path)
    const ext = extname(full).toLowerCase()
    if (ext === '.js' || ext === '.cjs' || ext === '.mjs' || ext === '.ts') {
      out.set(path, { missing: 'JavaScript variable resolvers are not run' })
      continue
    }
    let text: string
    try {
      text = await readText(full)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      out.set(path, { missing: code === 'ENOENT' ? `${full} not found` : `${full} (${code ?? 'error'})` })
      continue
    }
    try {
      out.set(path, {
        value:
          ext === '.yml' || ext === '.yaml' || ext === '.json' ? parseTemplateText(full, text).data : text,
      })
    } catch (err) {
      out.set(path, { missing: (err as Error).message })
    }
  }
}

function withSharedEnvironment(source: ApiSource): ApiSource {
  const seen = new Map<string, { value: string; fn: string }>()
  const notices = [...source.notices]
  for (const fn of source.functions)
    for (const [key, value] of fn.environment) {
      const first = seen.get(key)
      if (first === undefined) seen.set(key, { value, fn: fn.name })
      else if (first.value !== value)
        notices.push(
          new ConfigError(
            source.doc.file,
            fn.pointer,
            `environment variable ${key} differs from ${first.fn}'s; local handlers share one process, so both see '${first.value}'`,
            source.doc.lineOf(fn.pointer),
          ),
        )
    }
  return { ...source, notices }
}
