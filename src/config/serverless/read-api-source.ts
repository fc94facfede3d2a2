import { ConfigError } from '../../errors/config-error.ts'
import { readApiDocument } from '../openapi/read-api-document.ts'
import { parseTemplateText } from '../sam/cloudformation-yaml.ts'
import { readSamTemplate } from '../sam/read-sam-template.ts'
import type { SourceDocument } from '../source-document.ts'
import type { ApiSource } from './function-source.ts'
import { readServerlessFile } from './read-serverless-file.ts'

/** What the API file is: an OpenAPI document, a Serverless Framework service, a SAM template. */
export type ApiFormat = 'openapi' | 'serverless' | 'sam'

export interface ApiSourceIo {
  readonly readText: (file: string) => Promise<string>
  readonly loadDocument: (file: string) => Promise<SourceDocument>
  readonly env: Readonly<Record<string, string | undefined>>
  readonly stage: string | undefined
}

/**
 * Reads the API file in its format into the one input the route compiler takes. A
 * serverless.yml and a SAM template also name their functions' modules, loaded by file and
 * export; the functions' environment variables are checked to agree, since local handlers
 * share one process.
 */
export async function readApiSource(file: string, format: ApiFormat, io: ApiSourceIo): Promise<ApiSource> {
  if (format === 'openapi') {
    const doc = await io.loadDocument(file)
    return { api: readApiDocument(doc), doc, functions: [], notices: [] }
  }
  if (format === 'serverless') {
    const doc = await io.loadDocument(file)
    return withSharedEnvironment(
      readServerlessFile(doc, { stage: io.stage, region: io.env.AWS_REGION, env: io.env }),
    )
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
    }),
  )
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
