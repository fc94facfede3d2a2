/**
 * Handler modules run in the gateway's process. A stray error they raise outside the request
 * (a timer that throws, a promise nobody awaits) is logged and the gateway keeps serving: on
 * AWS it would only have broken that function's execution environment.
 */
export function guardProcess(report: (kind: string, err: unknown) => void): void {
  // A reader that went away (a closed terminal, a pipe whose reader exited) must not turn each
  // log line into an uncaught error whose report is one more failing write, forever.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', ignoreGoneReader)
  process.on('uncaughtException', (err) => report('uncaughtException', err))
  process.on('unhandledRejection', (err) => report('unhandledRejection', err))
}

const GONE_READER = new Set(['EPIPE', 'EIO', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END'])

function ignoreGoneReader(err: NodeJS.ErrnoException): void {
  if (err.code !== undefined && GONE_READER.has(err.code)) return
  throw err
}
