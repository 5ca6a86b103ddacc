import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from '../shared/logger.js';
import type { Lifecycle } from './lifecycle.js';

export interface ServerOptions {
  readonly port: number;
  readonly host: string;
  readonly shutdownTimeoutMs: number;
  readonly logger: Logger;
  readonly lifecycle: Lifecycle;
  /** Runs after the last request finished (close the store here). */
  readonly afterDrain: () => Promise<void>;
}

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  /**
   * Stops accepting connections, lets in-flight requests finish (up to the
   * timeout, then cuts the rest), then runs `afterDrain`. Idempotent.
   */
  shutdown(reason: string): Promise<void>;
}

export async function startHttpServer(app: Express, options: ServerOptions): Promise<RunningServer> {
  const server = createServer(app);
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      options.lifecycle.shuttingDown = true;
      options.logger.info('shutting down', { reason });
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => {
        options.logger.warn('shutdown timeout: closing remaining connections', { timeoutMs: options.shutdownTimeoutMs });
        server.closeAllConnections();
      }, options.shutdownTimeoutMs);
      timer.unref();
      await closed;
      clearTimeout(timer);
      await options.afterDrain();
      options.logger.info('stopped');
    })();
    return stopping;
  };
  return { server, port, shutdown };
}
