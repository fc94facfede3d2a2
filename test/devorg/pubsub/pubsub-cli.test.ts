// `forcegate devorg --pubsub-port`: the Pub/Sub API starts beside the org, on the port asked
// for (0: any free one), says where at start-up, and keeps its certificate in the data folder.

import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { credentials, Metadata, type ServiceError, status } from '@grpc/grpc-js'
import { runDevorgCli } from '../../../devorg/cli.ts'
import { loadPubSubService } from '../../../devorg/pubsub/pubsub-server.ts'
import { watchOutput } from '../../helpers/wait-for-line.ts'

const dir = mkdtempSync(join(tmpdir(), 'devorg-pubsub-cli-'))
after(() => rmSync(dir, { recursive: true, force: true }))

describe('forcegate devorg --pubsub-port', () => {
  it('refuses a port that is not one', async () => {
    const written: string[] = []
    const io = { out: (text: string) => written.push(text), err: (text: string) => written.push(text) }
    assert.equal(await runDevorgCli(['--pubsub-port', 'x'], io), 2)
    assert.match(written.join(''), /--pubsub-port: expected an integer from 0 to 65535/)
    assert.equal(await runDevorgCli(['--help'], io), 0)
    assert.match(written.join(''), /--pubsub-port <n> .*default 7443/)
  })

  it('prints the endpoint and the certificate file, and answers gRPC over TLS there', async () => {
    const cli = fileURLToPath(new URL('../../../devorg/cli.ts', import.meta.url))
    const data = join(dir, 'data')
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(cli)}); process.exitCode = await m.runDevorgCli(process.argv.slice(1))`,
        '--',
        '--port',
        '0',
        '--pubsub-port',
        '0',
        '--data',
        data,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const output = watchOutput(child, 'forcegate devorg')
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    try {
      const [, endpoint] = await output.waitForLine(/pub\/sub api: +(127\.0\.0\.1:\d+) \(gRPC over TLS/)
      const [, certPath] = await output.waitForLine(/certificate: +(\S+pubsub-tls-cert\.pem)/)
      assert.equal(certPath, join(data, 'pubsub-tls-cert.pem'))
      assert.ok(existsSync(join(data, 'pubsub-tls-cert.pem')))
      const Service = loadPubSubService()
      const client = new Service(
        endpoint ?? '',
        credentials.createSsl(readFileSync(join(data, 'pubsub-tls-cert.pem'))),
      )
      try {
        const error = await new Promise<ServiceError>((resolve, reject) => {
          const getTopic = (client as unknown as Record<string, (...args: unknown[]) => void>).GetTopic
          getTopic?.call(
            client,
            { topicName: '/event/Order_Event__e' },
            new Metadata(),
            (e: ServiceError | null) => (e ? resolve(e) : reject(new Error('answered without a token'))),
          )
        })
        assert.equal(error.code, status.UNAUTHENTICATED)
      } finally {
        client.close()
      }
    } finally {
      child.kill('SIGTERM')
    }
    assert.equal(await exited, 0)
  })
})
