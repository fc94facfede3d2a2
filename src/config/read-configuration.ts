import type { GatewayFile } from './gateway-file-schema.ts'
import { readGatewayFile } from './read-gateway-file.ts'
import type { SourceDocument } from './source-document.ts'

/** What the command line and a caller may set over forcegate.yaml. */
export interface ConfigurationOverrides {
  readonly port?: number
  readonly host?: string
  readonly stage?: string
  readonly configPatch?: (config: GatewayFile) => void
}

/**
 * forcegate.yaml with every default, then the command line's overrides and the caller's patch,
 * validated again as a whole: an override is checked like a setting in the file.
 */
export function readConfiguration(
  doc: SourceDocument | undefined,
  options: ConfigurationOverrides,
): GatewayFile {
  const config = readGatewayFile(doc)
  if (
    options.port === undefined &&
    options.host === undefined &&
    options.stage === undefined &&
    options.configPatch === undefined
  )
    return config
  if (options.port !== undefined) config.server.port = options.port
  if (options.host !== undefined) config.server.host = options.host
  if (options.stage !== undefined) config.api.stage = options.stage
  options.configPatch?.(config)
  return readGatewayFile({
    file: doc?.file ?? '(defaults)',
    data: config,
    lineOf: (pointer) => doc?.lineOf(pointer),
  })
}
