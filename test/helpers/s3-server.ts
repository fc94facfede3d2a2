// A real S3-compatible server for tests: fauxqs (it decodes the SDK's aws-chunked uploads with
// checksum trailers and answers multipart uploads with S3's ETags; it checks no signatures),
// in a process of its own on 127.0.0.1 and a free port, so a test can stop it mid-run. It
// prints one line per request that writes (`WRITE <METHOD> <path>`), which is how tests count
// what a run uploaded.
//
// Run as a program, this file is that server; imported, it starts one.

import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3'
import { stopWithTestEnv } from './cli-process.ts'
import { type ProcessOutput, watchOutput } from './wait-for-line.ts'

/** Credentials and region the SDK needs to sign; fauxqs accepts any. */
export const S3_TEST_ENV = {
  AWS_ACCESS_KEY_ID: 'forcegate-test',
  AWS_SECRET_ACCESS_KEY: 'forcegate-test-secret',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
} as const

export interface S3Server {
  readonly endpoint: string
  readonly client: S3Client
  readonly output: ProcessOutput
  createBucket(name: string): Promise<void>
  /** Writes (PUT/POST/DELETE) the server has received so far, every one of them. */
  writes(): Promise<string[]>
  /** Kills the server at once, as an outage would. */
  kill(): Promise<void>
  close(): Promise<void>
}

export async function startS3Server(): Promise<S3Server> {
  const child: ChildProcess = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    // Its stdin is this process's pipe: when the test process goes, the server goes too.
    stdio: ['pipe', 'pipe', 'pipe'],
    env: stopWithTestEnv(),
  })
  const output = watchOutput(child, 'the S3 server')
  const port = (await output.waitForLine(/^S3 listening on 127\.0\.0\.1:(\d+)$/))[1]
  const endpoint = `http://127.0.0.1:${port}`
  let marks = 0
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: S3_TEST_ENV.AWS_REGION,
    credentials: {
      accessKeyId: S3_TEST_ENV.AWS_ACCESS_KEY_ID,
      secretAccessKey: S3_TEST_ENV.AWS_SECRET_ACCESS_KEY,
    },
  })
  const kill = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done()
      child.once('exit', () => done())
      child.kill('SIGKILL')
    })
  return {
    endpoint,
    client,
    output,
    createBucket: async (name) => {
      await client.send(new CreateBucketCommand({ Bucket: name }))
    },
    async writes() {
      // A marker request: its line comes after the lines of every request made before it.
      const mark = String(++marks)
      await fetch(`${endpoint}/forcegate-mark/${mark}`).then((r) => r.arrayBuffer())
      await output.waitForLine(new RegExp(`^MARK ${mark}$`))
      return output
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('WRITE '))
    },
    kill,
    close: async () => {
      client.destroy()
      await kill()
    },
  }
}

async function serve(): Promise<void> {
  process.stdin.on('end', () => process.exit(0))
  process.stdin.resume()
  const { buildApp } = await import('fauxqs')
  const app = buildApp({ logger: false })
  // Logged as requests arrive, so a line is out before its answer is.
  app.addHook('onRequest', async (req: { method: string; url: string }) => {
    const mark = /^\/forcegate-mark\/(\d+)$/.exec(req.url)
    if (mark !== null) process.stdout.write(`MARK ${mark[1]}\n`)
    else if (req.method !== 'GET' && req.method !== 'HEAD')
      process.stdout.write(`WRITE ${req.method} ${req.url}\n`)
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address() as { port: number }
  process.stdout.write(`S3 listening on 127.0.0.1:${address.port}\n`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await serve()
