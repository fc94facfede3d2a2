import { Ajv } from 'ajv'
import { ConfigError, ConfigErrors } from '../errors/config-error.ts'
import { type GatewayFile, GatewayFileSchema } from './gateway-file-schema.ts'
import { schemaProblems } from './schema-errors.ts'
import type { SourceDocument } from './source-document.ts'

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true })
const validate = ajv.compile<GatewayFile>(GatewayFileSchema)

/** Validates `forcegate.yaml` (or no file: every default) into a complete gateway configuration. */
export function readGatewayFile(doc: SourceDocument | undefined): GatewayFile {
  const data = structuredClone(doc?.data ?? {}) as unknown
  if (validate(data)) return data
  const file = doc?.file ?? '(defaults)'
  const errors = schemaProblems(validate.errors ?? []).map(
    ({ pointer, expected }) => new ConfigError(file, pointer, expected, doc?.lineOf(pointer)),
  )
  throw errors.length === 1 ? errors[0]! : new ConfigErrors(errors)
}
