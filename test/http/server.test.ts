import { request as httpRequest } from 'node:http';
import { Router } from 'express';
import { createApp } from '../../src/http/app.js';
import type { Lifecycle } from '../../src/http/lifecycle.js';
import { startHttpServer } from '../../src/http/server.js';
import { capturedLogger } from '../support/log-capture.js';

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('graceful shutdown', () => {
  test('finishes in-flight requests, refuses new ones, then runs afterDrain', async () => {
    const events: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const slowArrived = new Promise<void>((resolve) => (arrived = resolve));
    const router = Router();
    router.get('/slow', async (_req, res) => {
      arrived();
      await released;
      events.push('slow finished');
      res.json({ done: true });
    });
    const lifecycle: Lifecycle = { shuttingDown: false };
    const { logger } = capturedLogger();
    const app = createApp({ logger, lifecycle, jsonLimitBytes: 1024, health: { pingStore: async () => {}, storeKind: 'test' }, routers: [router] });
    const running = await startHttpServer(app, {
      port: 0,
      host: '127.0.0.1',
      shutdownTimeoutMs: 5_000,
      logger,
      lifecycle,
      afterDrain: async () => {
        events.push('store closed');
      },
    });

    const inFlight = get(running.port, '/slow');
    await slowArrived;
    const stopped = running.shutdown('test');
    expect(lifecycle.shuttingDown).toBe(true);
    await expect(get(running.port, '/healthz')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    release();
    await expect(inFlight).resolves.toEqual({ status: 200, body: '{"done":true}' });
    await stopped;
    expect(events).toEqual(['slow finished', 'store closed']);
    await expect(running.shutdown('again')).resolves.toBeUndefined();
    expect(events).toHaveLength(2);
  });

  test('cuts connections still open after the timeout, then still closes the store', async () => {
    let arrived!: () => void;
    const hangArrived = new Promise<void>((resolve) => (arrived = resolve));
    const router = Router();
    router.get('/hang', () => {
      arrived();
      return new Promise<void>(() => {});
    });
    const lifecycle: Lifecycle = { shuttingDown: false };
    const { logger, lines } = capturedLogger();
    let drained = false;
    const app = createApp({ logger, lifecycle, jsonLimitBytes: 1024, health: { pingStore: async () => {}, storeKind: 'test' }, routers: [router] });
    const running = await startHttpServer(app, { port: 0, host: '127.0.0.1', shutdownTimeoutMs: 200, logger, lifecycle, afterDrain: async () => void (drained = true) });
    const hanging = get(running.port, '/hang');
    await hangArrived;
    await running.shutdown('test');
    await expect(hanging).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(drained).toBe(true);
    expect(lines().some((line) => line.msg === 'shutdown timeout: closing remaining connections')).toBe(true);
  });
});
