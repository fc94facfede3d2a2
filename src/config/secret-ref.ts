import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, join } from 'node:path'
import { type Static, Type } from '@sinclair/typebox'
import { ConfigError } from '../errors/config-error.ts'
import { envFileHint } from './env-file-hint.ts'

/** A secret is never written into configuration: it is read from the environment or a file. */
export const SecretRefSchema = Type.Union(
  [
    Type.Object(
      { env: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }) },
      { additionalProperties: false },
    ),
    Type.Object({ file: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  ],
  { description: 'Where to read a secret: { env: NAME } or { file: path }.' },
)

export type SecretRef = Static<typeof SecretRefSchema>

/** Resolves a reference at start-up; a missing value stops the start with the field's pointer. */
export function resolveSecret(
  ref: SecretRef,
  file: string,
  pointer: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if ('env' in ref) {
    const value = env[ref.env]
    if (value === undefined || value === '') {
      throw new ConfigError(
        file,
        pointer,
        `the environment variable ${ref.env} is not set${envFileHint(ref.env)}`,
      )
    }
    return value
  }
  let value: string
  try {
    value = readFileSync(secretFilePath(ref.file, file), 'utf8').trim()
  } catch {
    throw new ConfigError(file, pointer, `the secret file ${ref.file} cannot be read`)
  }
  // As an empty variable is no secret, neither is an empty file: refused, not used as ''.
  if (value === '') throw new ConfigError(file, pointer, `the secret file ${ref.file} is empty`)
  return value
}

/** Like every other path in forcegate.yaml, a relative secret file is relative to that file. */
export function secretFilePath(path: string, configFile: string): string {
  return isAbsolute(path) || configFile.startsWith('(') ? path : join(dirname(configFile), path)
}
