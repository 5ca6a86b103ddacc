/** Structured facts attached to a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The logging port. Implementations must mask identity numbers in every
 * message and field before anything is written.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  fatal(message: string, fields?: LogFields): void;
  /** A logger that adds `bindings` to every line. */
  child(bindings: LogFields): Logger;
  /** Writes out anything buffered; call before exiting. */
  flush(): Promise<void>;
}
