import { accessSync, constants } from 'node:fs'
import { ConfigError } from '../errors/config-error.ts'
import { envFileHint } from './env-file-hint.ts'
import { isObject } from './field-reader.ts'
import { secretFilePath } from './secret-ref.ts'
import { childPointer } from './source-document.ts'

/**
 * Resolved later, not at start-up: the relay's and its subscriptions' (the relay command reads
 * them) and the registration token (read at each registration, so that a regenerated one is
 * picked up).
 */
const NOT_AT_START = [/^\/relay(\/|$)/, /^\/subscriptions(\/|$)/, /\/initialAccessToken$/]

/**
 * Every secret reference of the validated configuration whose variable is unset or whose file
 * cannot be read, each with its pointer: one run names them all, instead of one per start.
 */
export function missingSecrets(
  config: unknown,
  file: string,
  lineOf: (pointer: string) => number | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ConfigError[] {
  const out: ConfigError[] = []
  const visit = (node: unknown, pointer: string): void => {
    if (NOT_AT_START.some((re) => re.test(pointer))) return
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) visit(node[i], childPointer(pointer, i))
      return
    }
    if (!isObject(node)) return
    const keys = Object.keys(node)
    if (keys.length === 1 && typeof node.env === 'string') {
      const value = env[node.env]
      if (value === undefined || value === '')
        out.push(
          new ConfigError(
            file,
            pointer,
            `the environment variable ${node.env} is not set${envFileHint(node.env)}`,
            lineOf(pointer),
          ),
        )
      return
    }
    if (keys.length === 1 && typeof node.file === 'string') {
      try {
        accessSync(secretFilePath(node.file, file), constants.R_OK)
      } catch {
        out.push(
          new ConfigError(file, pointer, `the secret file ${node.file} cannot be read`, lineOf(pointer)),
        )
      }
      return
    }
    for (const [key, value] of Object.entries(node)) visit(value, childPointer(pointer, key))
  }
  visit(config, '')
  return out
}
