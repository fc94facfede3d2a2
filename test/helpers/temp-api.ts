import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TempApi {
  readonly dir: string
  readonly apiFile: string
  readonly functionsDir: string
  file(name: string, text: string): Promise<string>
  remove(): Promise<void>
}

/** A throw-away folder holding an API document and a functions folder. */
export async function tempApi(document: unknown, functions: Record<string, string> = {}): Promise<TempApi> {
  const dir = await mkdtemp(join(tmpdir(), 'forcegate-test-'))
  const functionsDir = join(dir, 'functions')
  await mkdir(functionsDir)
  const apiFile = join(dir, 'openapi.json')
  await writeFile(apiFile, typeof document === 'string' ? document : JSON.stringify(document, null, 2))
  for (const [name, source] of Object.entries(functions)) await writeFile(join(functionsDir, name), source)
  return {
    dir,
    apiFile,
    functionsDir,
    async file(name, text) {
      const path = join(dir, name)
      await writeFile(path, text)
      return path
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  }
}

export const lambdaUri = (name: string): string =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`

export function lambdaOp(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'x-amazon-apigateway-integration': {
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: lambdaUri(name),
      ...extra,
    },
  }
}
