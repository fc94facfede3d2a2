import { Ajv } from 'ajv'
import { ConfigError, ConfigErrors } from '../errors/config-error.ts'
import { type GatewayFile, GatewayFileSchema } from './gateway-file-schema.ts'
import type { SourceDocument } from './source-document.ts'

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false })
const validate = ajv.compile<GatewayFile>(GatewayFileSchema)

/** Validates `forcegate.yaml` (or no file: every default) into a complete gateway configuration. */
export function readGatewayFile(doc: SourceDocument | undefined): GatewayFile {
  const data = structuredClone(doc?.data ?? {}) as unknown
  if (validate(data)) return data
  const file = doc?.file ?? '(defaults)'
  const errors = (validate.errors ?? []).map((e) => {
    const pointer =
      e.keyword === 'additionalProperties'
        ? `${e.instancePath}/${String(e.params.additionalProperty)}`
        : e.instancePath
    const expected =
      e.keyword === 'additionalProperties' ? 'is not a known setting' : (e.message ?? 'is not valid')
    return new ConfigError(file, pointer, expected, doc?.lineOf(pointer))
  })
  throw errors.length === 1 ? errors[0]! : new ConfigErrors(errors)
}
