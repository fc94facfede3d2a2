import { ConfigError } from '../errors/config-error.ts'

/**
 * On the API's listener behind `token` (a bearer token of 16 characters or more, as the admin
 * API's), and/or in the clear on a separate `port` meant for a network only scrapers reach.
 */
export interface MetricsOptions {
  readonly token?: string
  readonly port?: number
  readonly host?: string
}

/** The command line's options, a token too short to guess refused. */
export function checkedMetricsOptions(options: MetricsOptions | undefined): MetricsOptions | undefined {
  const token = options?.token
  if (token !== undefined && token.length < 16)
    throw new ConfigError('FORCEGATE_METRICS_TOKEN', '', 'a token of at least 16 characters')
  return options
}
