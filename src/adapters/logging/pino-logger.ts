import { types } from 'node:util';
import pino, { type DestinationStream, type Logger as Pino } from 'pino';
import { maskIdentityNumbersInText } from '../../modules/identity/index.js';
import type { LogFields, Logger } from '../../shared/logger.js';

export interface PinoLoggerOptions {
  readonly level: string;
  /** Where JSON lines go; stdout when absent. */
  readonly destination?: DestinationStream;
}

/** Masks every citizen ID number in strings at any depth; errors become plain objects first. */
function masked(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskIdentityNumbersInText(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (types.isNativeError(value)) {
    const code = (value as { code?: unknown }).code;
    return masked({ type: value.name, message: value.message, ...(code === undefined ? {} : { code }), stack: value.stack }, depth + 1);
  }
  if (Array.isArray(value)) return value.map((item) => masked(item, depth + 1));
  if (value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, masked(item, depth + 1)]));
}

class PinoLogger implements Logger {
  constructor(private readonly pino: Pino) {}

  debug(message: string, fields?: LogFields): void {
    this.write('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.write('error', message, fields);
  }
  fatal(message: string, fields?: LogFields): void {
    this.write('fatal', message, fields);
  }
  child(bindings: LogFields): Logger {
    return new PinoLogger(this.pino.child(masked(bindings) as object));
  }
  flush(): Promise<void> {
    return new Promise((resolve) => this.pino.flush(() => resolve()));
  }

  private write(level: 'debug' | 'info' | 'warn' | 'error' | 'fatal', message: string, fields: LogFields | undefined): void {
    if (this.pino.isLevelEnabled(level)) this.pino[level](masked(fields ?? {}) as object, maskIdentityNumbersInText(message));
  }
}

/** JSON lines via pino, with identity numbers masked in messages, fields and bindings. */
export function createPinoLogger(options: PinoLoggerOptions): Logger {
  const base = {
    level: options.level,
    base: { service: 'license-vault' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Errors are already plain, masked objects (see `masked`); pino's own serializer would re-wrap them.
    serializers: { err: (value: unknown) => value },
  };
  return new PinoLogger(options.destination ? pino(base, options.destination) : pino(base));
}
