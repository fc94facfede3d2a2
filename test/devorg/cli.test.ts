import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { runDevorgCli } from '../../devorg/cli.ts'
import { startDevOrg } from '../../devorg/index.ts'
import { watchOutput } from '../helpers/wait-for-line.ts'

const dir = mkdtempSync(join(tmpdir(), 'devorg-cli-'))
after(() => rmSync(dir, { recursive: true, force: true }))

function capture() {
  const io = {
    outText: '',
    errText: '',
    out: (t: string) => {
      io.outText += t
    },
    err: (t: string) => {
      io.errText += t
    },
  }
  return io
}

describe('forcegate devorg CLI', () => {
  it('--help prints usage and exits 0', async () => {
    const io = capture()
    assert.equal(await runDevorgCli(['--help'], io), 0)
    assert.match(
      io.outText,
      /forcegate devorg \[--port <n>\] \[--host <addr>\] \[--seed <seed\.json>\] \[--data <dir>\]/,
    )
    assert.match(io.outText, /--reseed +make --seed \(or the default seed\) the --data folder's seed/)
  })

  it('a bad seed exits non-zero with file: /json/pointer: expected ...', async () => {
    const seed = join(dir, 'seed.json')
    writeFileSync(
      seed,
      JSON.stringify({ org: { id: '00D5g000004FgAt', name: 'x', myDomain: 'x' }, users: 'none' }),
    )
    const io = capture()
    assert.equal(await runDevorgCli(['--seed', seed, '--port', '0'], io), 1)
    assert.equal(io.errText, `${seed}: /users: expected an array\n`)
  })

  it('unknown flags and bad values exit 2', async () => {
    const io = capture()
    assert.equal(await runDevorgCli(['--nope'], io), 2)
    assert.equal(await runDevorgCli(['--port', 'abc'], io), 2)
    assert.equal(await runDevorgCli(['--faults', '{"slowMs":"x"}'], io), 2)
    assert.match(io.errText, /--faults: \/slowMs: expected an integer/)
    assert.equal(await runDevorgCli(['--reseed', '--port', '0'], io), 2)
    assert.match(io.errText, /--reseed: only a --data folder keeps a seed/)
  })

  it('prints the base URL and seeded credentials, serves, and stops cleanly on SIGTERM', async () => {
    const cli = fileURLToPath(new URL('../../devorg/cli.ts', import.meta.url))
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
        join(dir, 'data'),
        '--faults',
        '{"slowMs":1}',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const output = watchOutput(child, 'forcegate devorg')
    const url = (await output.waitForLine(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!
    await output.waitForLine(/fault switches/)
    const out = output.stdout()
    assert.match(out, /admin@partner\.example\.com \/ Partner-Admin-1/)
    assert.match(out, /client_secret: 8DEA1259C2809055A9152827DF3DCF710473089FF122795D3C07D9FDEFEC7DB6/)
    assert.match(out, /devorg\.sqlite/)
    const faults = (await (await fetch(`${url}/__devorg/faults`)).json()) as { slowMs: number }
    assert.equal(faults.slowMs, 1)
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    child.kill('SIGTERM')
    assert.equal(await exited, 0)
  })
})

describe('startDevOrg on a busy port', () => {
  it('rejects with the listen error and can start again elsewhere', async () => {
    const first = await startDevOrg({ port: 0 })
    try {
      const port = Number(new URL(first.url).port)
      await assert.rejects(startDevOrg({ port }), { code: 'EADDRINUSE' })
      const io = capture()
      assert.equal(await runDevorgCli(['--port', String(port)], io), 1)
      assert.match(io.errText, /EADDRINUSE/)
    } finally {
      await first.close()
    }
  })
})
