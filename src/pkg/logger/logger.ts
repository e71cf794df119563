import { pino, type Logger } from 'pino';
import type { LogLevel } from '../../config/config.js';
import type { Severity } from '../errors/app-error.js';

export type { Logger };

/**
 * The root logger. Each request gets a child bound to its traceId (see app.ts), and
 * everything that logs on behalf of a request logs through that child.
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'webook' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['password', 'confirmPassword', '*.password', 'req.headers.authorization'], remove: true },
    },
    destination,
  );
}

/** Maps the seed's severities to log levels: P0/P1 are errors someone must act on. */
export function logWithSeverity(log: Pick<Logger, 'fatal' | 'error' | 'warn' | 'info'>, severity: Severity, obj: object, msg: string): void {
  const line = { severity, ...obj };
  switch (severity) {
    case 'P0':
      log.fatal(line, msg);
      break;
    case 'P1':
      log.error(line, msg);
      break;
    case 'P2':
      log.warn(line, msg);
      break;
    case 'P3':
      log.info(line, msg);
      break;
  }
}
