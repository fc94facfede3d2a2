// The pieces of the archive's end-to-end tests: the default-seed dev org (with a file over
// 10 MB added to the Acme deal, so one transfer is a multipart upload), fauxqs in its own
// process, the forcegate.yaml that names the org, and the real `forcegate archive` process.

import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GetObjectCommand } from '@aws-sdk/client-s3'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { clientCredentialsToken } from '../../devorg/oauth/org-client.ts'
import { contentVersionUpload } from '../../devorg/rest/seeded-org.ts'
import { BIN, stopWithTestEnv } from '../../helpers/cli-process.ts'
import { devorgSalesforceYaml } from '../../helpers/devorg-gateway-config.ts'
import { S3_TEST_ENV, type S3Server, startS3Server } from '../../helpers/s3-server.ts'
import { type ProcessOutput, watchOutput } from '../../helpers/wait-for-line.ts'

export const ACME_DEAL = '0065g00000Acme1AAB'
export const BIG_FILE_SIZE = 10 * 1024 * 1024 + 12_345

export interface ArchiveRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

export interface ArchiveFixture {
  readonly org: DevOrg
  readonly s3: S3Server
  readonly dir: string
  readonly configFile: string
  /** The integration user's token, for reading the org directly. */
  readonly token: string
  /** Runs `forcegate archive …` to its end. */
  run(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<ArchiveRun>
  /** Starts `forcegate archive …` and hands back the process, for tests that stop it. */
  start(
    args: readonly string[],
    env?: NodeJS.ProcessEnv,
  ): { child: ChildProcess; output: ProcessOutput; exit: Promise<number | null> }
  /** The bytes of a ContentVersion, read from the org's VersionData. */
  versionBytes(versionId: string): Promise<Buffer>
  /** An object's bytes, read back from S3. */
  s3Bytes(bucket: string, key: string): Promise<{ bytes: Buffer; etag: string }>
  close(): Promise<void>
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/** A deterministic file over 10 MB, not a repetition of one block. */
export function bigFile(): Buffer {
  const big = Buffer.alloc(BIG_FILE_SIZE)
  for (let i = 0; i + 4 <= big.length; i += 4) big.writeUInt32LE((i * 2654435761) >>> 0, i)
  return big
}

export async function archiveFixture(): Promise<ArchiveFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'forcegate-archive-'))
  const org = await startDevOrg({ port: 0 })
  const s3 = await startS3Server()
  Object.assign(process.env, S3_TEST_ENV)
  const configFile = join(dir, 'forcegate.yaml')
  await writeFile(configFile, `${devorgSalesforceYaml(org, 'ARCHIVE_TEST_ORG_SECRET').join('\n')}\n`)
  const token = (await clientCredentialsToken(org, 'forcegate Gateway')).access_token
  const upload = contentVersionUpload(
    {
      Title: 'Acme signed contract',
      PathOnClient: 'acme-signed-contract.pdf',
      FirstPublishLocationId: ACME_DEAL,
    },
    bigFile(),
    'acme-signed-contract.pdf',
  )
  const created = await fetch(`${org.url}/services/data/v62.0/sobjects/ContentVersion`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, ...upload.headers },
    body: upload.body,
  })
  if (created.status !== 201) throw new Error(`upload failed: ${created.status} ${await created.text()}`)

  const start = (args: readonly string[], env: NodeJS.ProcessEnv = stopWithTestEnv()) => {
    const child = spawn(process.execPath, [BIN, 'archive', ...args, '--config', configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
      cwd: dir,
    })
    const output = watchOutput(child, 'forcegate archive')
    const exit = new Promise<number | null>((done) => child.once('close', (code) => done(code)))
    return { child, output, exit }
  }
  return {
    org,
    s3,
    dir,
    configFile,
    token,
    start,
    async run(args, env) {
      const { output, exit } = start(args, env)
      const code = await exit
      return { code, stdout: output.stdout(), stderr: output.stderr() }
    },
    async versionBytes(versionId) {
      const res = await fetch(
        `${org.url}/services/data/v62.0/sobjects/ContentVersion/${versionId}/VersionData`,
        {
          headers: { Authorization: `Bearer ${token}` },
        },
      )
      if (res.status !== 200) throw new Error(`VersionData ${versionId}: ${res.status}`)
      return Buffer.from(await res.arrayBuffer())
    },
    async s3Bytes(bucket, key) {
      const res = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      return { bytes: Buffer.from(await res.Body!.transformToByteArray()), etag: res.ETag ?? '' }
    },
    async close() {
      await s3.close()
      await org.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
