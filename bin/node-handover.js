// Running forcegate under the Node 24 binary the project installs, when the machine's Node is
// older. Plain JavaScript: the half that runs first does so on that older Node.
//
// The PID a user, systemd or Kubernetes started is the wrapper's, so the wrapper must behave as
// the gateway would: stop signals reach the Node 24 child, the wrapper ends the way the child
// ended (same exit code, or death by the same signal), and the child never outlives it.
import { spawn } from 'node:child_process'
import { constants } from 'node:os'

const FORWARDED = ['SIGTERM', 'SIGINT', 'SIGHUP']
// Tells the child that its IPC channel is the wrapper's lifeline, not a fork() someone else made.
const MARK = 'FORCEGATE_HANDOVER_PARENT'

/** Runs `node script args…` as a child and mirrors its end; never returns. */
export function handOver(node, script, args) {
  const child = spawn(node, [script, ...args], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [MARK]: String(process.pid) },
  })
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
  }
  for (const signal of FORWARDED) process.on(signal, forward)
  child.once('error', (error) => {
    process.stderr.write(`forcegate: could not start ${node}: ${error.message}\n`)
    process.exit(1)
  })
  child.once('exit', (code, signal) => {
    if (signal === null) process.exit(code ?? 1)
    // Die of the same signal, so that a shell or supervisor sees what really happened.
    for (const s of FORWARDED) process.off(s, forward)
    process.kill(process.pid, signal)
    setTimeout(() => process.exit(128 + (constants.signals[signal] ?? 0)), 1000).unref()
  })
}

/**
 * In the child: when the wrapper goes away without passing a signal on (SIGKILL, OOM killer),
 * its end of the IPC channel closes; stop as if told to with SIGTERM so servers drain and exit.
 */
export function watchWrapper() {
  if (process.env[MARK] === undefined) return
  delete process.env[MARK]
  if (process.channel === undefined) return
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'))
  // The channel must not keep a command that has finished its work alive.
  process.channel.unref()
}
