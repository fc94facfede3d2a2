import { pino } from 'pino'

export type Logger = pino.Logger
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

/** Structured JSON logs on stdout; secrets never reach them because nothing passes tokens in. */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const options = { level, base: null, timestamp: pino.stdTimeFunctions.isoTime, messageKey: 'msg' }
  return destination === undefined ? pino(options) : pino(options, destination)
}
