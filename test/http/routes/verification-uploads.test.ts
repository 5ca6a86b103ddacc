import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createPinoLogger } from '../../../src/adapters/logging/pino-logger.js';
import { recordLog } from '../../support/pii-sweep.js';
import { openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';
import { issueTeacherLicense, verificationApp } from './verification-app.js';

const BOUNDARY = '----vault-test-boundary';

/** A logger whose lines a test can wait for: the event it waits on is the line being written. */
function watchedLogger() {
  const lines: Record<string, unknown>[] = [];
  const waiting: { until: (lines: Record<string, unknown>[]) => boolean; resolve: () => void }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      recordLog('watched logger', chunk.toString('utf8'));
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      for (const waiter of [...waiting]) {
        if (waiter.until(lines)) {
          waiting.splice(waiting.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
      callback();
    },
  });
  return {
    logger: createPinoLogger({ level: 'debug', destination }),
    lines,
    /** Resolves once `until` holds for the lines written so far; rejects after `ms` so that a missing line fails the test. */
    until: (until: (lines: Record<string, unknown>[]) => boolean, ms = 5000) =>
      until(lines)
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`the log never had the line awaited; it has:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`)), ms);
            waiting.push({ until, resolve: () => (clearTimeout(timer), resolve()) });
          }),
  };
}

/** The first HTTP response arriving on `socket`: status, headers (lower-case names) and body. */
function responseOn(socket: Socket): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      const body = received.subarray(end + 4);
      if (body.length >= Number(headers['content-length'] ?? 0)) resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: body.toString('utf8') });
    });
  });
}

const abandoned = (line: Record<string, unknown>) => typeof line.msg === 'string' && line.msg.startsWith('upload abandoned');

/** The head and the first half of a multipart upload of `pdf`, as a client that will send the rest later (or never). */
function halfUpload(port: number, pdf: Uint8Array, requestId: string): string {
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="license.pdf"\r\nContent-Type: application/pdf\r\n\r\n`;
  const tail = `\r\n--${BOUNDARY}--\r\n`;
  const length = Buffer.byteLength(head) + pdf.length + Buffer.byteLength(tail);
  return (
    `POST /api/v1/verifications HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${length}\r\nX-Request-Id: ${requestId}\r\n\r\n` +
    head +
    Buffer.from(pdf.subarray(0, pdf.length / 2)).toString('latin1')
  );
}

describe('issue 15: uploads cost an attacker as much as the vault', () => {
  let vault: VaultHarness;
  let pdf: Uint8Array;
  let server: Server;
  let port: number;
  let log: ReturnType<typeof watchedLogger>;
  /** Requests the server has taken in, in order. */
  const received: IncomingMessage[] = [];
  let onRequest: (() => void) | null = null;

  /** Opens a connection that sends half an upload, and resolves once the server has taken the request in. */
  const startHalfUpload = async (requestId = `half-upload-${received.length}`): Promise<Socket> => {
    const before = received.length;
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const taken = new Promise<void>((resolve) => (onRequest = () => received.length > before && resolve()));
    socket.write(halfUpload(port, pdf, requestId), 'latin1');
    await taken;
    return socket;
  };
  const upload = () => request(server).post('/api/v1/verifications').attach('file', Buffer.from(pdf), 'license.pdf');

  beforeAll(async () => {
    vault = await openVaultHarness();
    ({ pdf } = await issueTeacherLicense(vault));
    log = watchedLogger();
    const app = verificationApp(vault, { logger: log.logger, limits: { uploadsInFlight: 2 } });
    server = createServer((req, res) => {
      received.push(req);
      app(req, res);
      onRequest?.();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await vault.close();
  });

  test('a third upload from a client with two in flight is 429 before its body is read; the slots come back when the two end', async () => {
    const first = await startHalfUpload();
    const second = await startHalfUpload();
    // The third sends half its body too, and never the rest: only a refusal made before reading the body can arrive.
    const third = await startHalfUpload();
    const refused = await responseOn(third);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'ERR_RATE_LIMITED', detail: 'at most 2 uploads from one client at a time' });
    third.destroy();
    const ended = log.lines.filter(abandoned).length;
    first.destroy();
    second.destroy();
    await log.until((lines) => lines.filter(abandoned).length === ended + 2);
    await expect(upload().then((res) => [res.status, res.body.result])).resolves.toEqual([200, 'authentic']);
  });

  test('after many abandoned uploads the client can still upload, two at a time (no slot leaks)', async () => {
    const ended = log.lines.filter(abandoned).length;
    for (let i = 0; i < 6; i += 1) (await startHalfUpload()).destroy();
    await log.until((lines) => lines.filter(abandoned).length === ended + 6);
    const answers = await Promise.all([upload(), upload()]);
    expect(answers.map((res) => [res.status, res.body.result])).toEqual([
      [200, 'authentic'],
      [200, 'authentic'],
    ]);
  });

  test('an upload abandoned mid-body is one quiet info line: no error, no stack', async () => {
    const from = log.lines.length;
    (await startHalfUpload('abandoned-upload-1')).destroy();
    await log.until((lines) => lines.slice(from).some(abandoned));
    // A request after it, answered and logged, so that anything the abandoned one still had to write is written.
    await request(server).get('/verify').set('X-Request-Id', 'after-the-abandoned-one').expect(200);
    await log.until((lines) => lines.some((line) => line.requestId === 'after-the-abandoned-one'));
    const written = log.lines.slice(from).filter((line) => line.requestId !== 'after-the-abandoned-one');
    expect(written).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'upload abandoned by the client before its body arrived',
        requestId: 'abandoned-upload-1',
        method: 'POST',
        url: '/api/v1/verifications',
      }),
    ]);
    expect(JSON.stringify(written)).not.toMatch(/stack|"err"|Error/);
  });

  test.each([
    [
      'no boundary in the media type',
      'multipart/form-data',
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.7\r\n--${BOUNDARY}--\r\n`,
    ],
    [
      'a body truncated inside the file',
      `multipart/form-data; boundary=${BOUNDARY}`,
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.7 half a fi`,
    ],
    [
      'a part header that is not a header',
      `multipart/form-data; boundary=${BOUNDARY}`,
      `--${BOUNDARY}\r\nContent-Disposition form-data name file\r\n\u0000\u0001garbage\r\n\r\n%PDF\r\n--${BOUNDARY}--\r\n`,
    ],
    ['garbage after the media type promised multipart', `multipart/form-data; boundary=${BOUNDARY}`, '\u0000\u00ff\u00fe garbage \r\n\r\n-- not a boundary --\r\n'],
    [
      'a boundary that never appears',
      `multipart/form-data; boundary=${BOUNDARY}`,
      '--another-boundary\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.7\r\n--another-boundary--\r\n',
    ],
  ])('a malformed multipart body (%s) is 400 with a stable code, never 500', async (_name, contentType, body) => {
    const res = await request(server).post('/api/v1/verifications').set('Content-Type', contentType).send(Buffer.from(body, 'latin1'));
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'ERR_UPLOAD_MALFORMED' });
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
