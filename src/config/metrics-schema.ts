import { type Static, Type } from '@sinclair/typebox'
import { ConfigError, ConfigErrors } from '../errors/config-error.ts'
import { resolveSecret, SecretRefSchema } from './secret-ref.ts'

/**
 * `metrics:` in forcegate.yaml, the file's form of `FORCEGATE_METRICS_TOKEN` (`token`) and
 * `--metrics-port` (`port` with `public: true`): served behind a bearer token on the API's
 * listener, like the admin API, and/or in the clear on a port of their own.
 */
export const MetricsSchema = Type.Object(
  {
    token: Type.Optional(SecretRefSchema),
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    host: Type.Optional(Type.String({ minLength: 1 })),
    public: Type.Boolean({
      default: false,
      description: 'Serve metrics without a token on `port`, for a network only scrapers reach.',
    }),
  },
  { additionalProperties: false },
)

export type MetricsBlock = Static<typeof MetricsSchema>

/** The shortest bearer token metrics are served behind, as the admin API's. */
export const MIN_METRICS_TOKEN_LENGTH = 16

export interface MetricsSettings {
  readonly token?: string
  readonly port?: number
  readonly host?: string
}

/**
 * The block as the gateway serves it, its token read. A port serves metrics to anyone who
 * reaches it, so it must say `public: true`; `public` means a port of their own, never the
 * API's listener.
 */
export function resolveMetricsBlock(
  block: MetricsBlock | undefined,
  file: string,
  lineOf: (pointer: string) => number | undefined,
  env: NodeJS.ProcessEnv = process.env,
): MetricsSettings | undefined {
  if (block === undefined) return undefined
  const problems: ConfigError[] = []
  const problem = (pointer: string, expected: string) =>
    problems.push(new ConfigError(file, pointer, expected, lineOf(pointer)))
  if (block.port !== undefined && !block.public)
    problem('/metrics/port', 'public: true beside a metrics port (it serves them without a token)')
  if (block.public && block.port === undefined)
    problem('/metrics/public', 'a port of their own (metrics.port): public metrics are never on the API port')
  if (block.host !== undefined && block.port === undefined)
    problem('/metrics/host', 'a metrics port for the host to listen on')
  if (block.token === undefined && block.port === undefined)
    problem('/metrics', 'a token (served on the API port behind it) or a public port')
  let token: string | undefined
  if (block.token !== undefined) {
    token = resolveSecret(block.token, file, '/metrics/token', env)
    if (token.length < MIN_METRICS_TOKEN_LENGTH)
      problem('/metrics/token', `a token of at least ${MIN_METRICS_TOKEN_LENGTH} characters`)
  }
  if (problems.length > 0) throw problems.length === 1 ? problems[0]! : new ConfigErrors(problems)
  return {
    ...(token === undefined ? {} : { token }),
    ...(block.port === undefined ? {} : { port: block.port }),
    ...(block.host === undefined ? {} : { host: block.host }),
  }
}

/** The command line's settings (`--metrics-port`, `FORCEGATE_METRICS_TOKEN`) over the file's. */
export function metricsSettings(
  block: MetricsBlock | undefined,
  overrides: MetricsSettings | undefined,
  file: string,
  lineOf: (pointer: string) => number | undefined,
): MetricsSettings | undefined {
  const fromFile = resolveMetricsBlock(block, file, lineOf)
  return fromFile === undefined && overrides === undefined ? undefined : { ...fromFile, ...overrides }
}
