import type { Readable } from 'node:stream';
import { citizenIdsIn } from '../support/pii-sweep.js';

/**
 * Counts the unmasked citizen ID numbers a process writes, line by line,
 * keeping nothing but the count (a long run writes too much to keep).
 */
export class UnmaskedIdCount {
  count = 0;

  watch(output: Readable): void {
    let partial = '';
    output.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.count += citizenIdsIn(line).length;
    });
    output.on('end', () => {
      this.count += citizenIdsIn(partial).length;
      partial = '';
    });
  }
}
