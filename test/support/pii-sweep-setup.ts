import { ServerResponse } from 'node:http';
import { recordResponse, unmaskedCitizenIds } from './pii-sweep.js';

/** Every response this test process serves passes through here on its way out; public routes are kept for the sweep. */
type Write = (this: ServerResponse, chunk: unknown, ...rest: unknown[]) => unknown;
const prototype = ServerResponse.prototype as unknown as { write: Write; end: Write };
const originalWrite = prototype.write;
const originalEnd = prototype.end;

function keep(response: ServerResponse, chunk: unknown): void {
  const path = response.req?.url;
  if (path === undefined || chunk === undefined || chunk === null || typeof chunk === 'function') return;
  recordResponse(path, typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('latin1') : '');
}

prototype.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
  keep(this, chunk);
  return originalWrite.call(this, chunk, ...rest);
};
prototype.end = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
  keep(this, chunk);
  return originalEnd.call(this, chunk, ...rest);
};

afterAll(() => {
  expect(unmaskedCitizenIds()).toEqual([]);
});
