// Running forcegate under the Node 24 binary the project installs, when the machine's Node is
// older. Plain JavaScript: the half that runs first does so on that older Node.
//
// The PID a user, systemd or Kubernetes started is the wrapper's, so the wrapper must behave as
// the gateway would: stop signals reach the Node 24 child, the wrapper ends the way the child
// ended (same exit code, or death by the same signal), and the child never outlives it.
import { spawn } from 'node:child_process'
import { constants } from 'node:os'

const FORWARDED = ['SIGTERM', 'SIGINT', 'SIGHUP']
// Set to its own PID by whoever starts forcegate and must not be outlived by it: this wrapper,
// and test helpers, whose gateways would otherwise keep serving after a killed test run.
const MARK = 'FORCEGATE_STOP_WITH_PARENT'
const PARENT_CHECK_MS = 250

/** Runs `node script args…` as a child and mirrors its end; never returns. */
export function handOver(node, script, args) {
  const child = spawn(node, [script, ...args], {
    stdio: 'inherit',
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
 * In the child: when the parent goes away without passing a signal on (SIGKILL, OOM killer), the
 * child is handed to another parent; stop then as if told to with SIGTERM, so servers drain.
 */
export function stopWithParent() {
  const parent = Number(process.env[MARK])
  delete process.env[MARK]
  if (!Number.isInteger(parent) || parent <= 0) return
  const check = () => {
    if (process.ppid === parent) return
    clearInterval(timer)
    process.kill(process.pid, 'SIGTERM')
  }
  // Unreferenced: watching must not keep a command that has finished its work alive.
  const timer = setInterval(check, PARENT_CHECK_MS).unref()
  check()
}
