/**
 * Handler modules run in the gateway's process. A stray error they raise outside the request
 * (a timer that throws, a promise nobody awaits) is logged and the gateway keeps serving: on
 * AWS it would only have broken that function's execution environment.
 */
export function guardProcess(report: (kind: string, err: unknown) => void): void {
  process.on('uncaughtException', (err) => report('uncaughtException', err))
  process.on('unhandledRejection', (err) => report('unhandledRejection', err))
}
