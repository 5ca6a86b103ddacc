import { Writable } from 'node:stream';
import { createPinoLogger } from '../../src/adapters/logging/pino-logger.js';
import type { Logger } from '../../src/shared/logger.js';
import { recordLog } from './pii-sweep.js';

/** A real pino logger whose JSON lines are kept in memory for assertions. */
export function capturedLogger(level = 'debug'): { logger: Logger; lines: () => Record<string, unknown>[]; text: () => string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      recordLog('captured logger', chunk.toString('utf8'));
      callback();
    },
  });
  return {
    logger: createPinoLogger({ level, destination }),
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
