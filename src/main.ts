import { createPinoLogger } from './adapters/logging/pino-logger.js';
import { ensureDevelopmentPki } from './adapters/pki/development-pki.js';
import { pkiPaths } from './adapters/pki/pki-directory.js';
import { loadTrustDirectory } from './adapters/pki/x509/index.js';
import { loadTemplateDirectory } from './adapters/templates/template-directory.js';
import { openMongoStore } from './adapters/storage/mongo/mongo-store.js';
import { openSqliteStore } from './adapters/storage/sqlite/sqlite-store.js';
import { loadConfig, type Config } from './config/index.js';
import { createApp } from './http/app.js';
import type { Lifecycle } from './http/lifecycle.js';
import { trustRoutes } from './http/routes/trust.js';
import { startHttpServer } from './http/server.js';
import type { VaultStore } from './modules/store/index.js';
import { systemClock } from './shared/clock.js';
import { isVaultError } from './shared/errors.js';
import type { Logger } from './shared/logger.js';

/** The only place that chooses the store: MongoDB when configured, else the embedded SQLite file. */
async function openStore(config: Config): Promise<VaultStore> {
  return config.store.kind === 'mongo' ? openMongoStore({ uri: config.store.uri }) : openSqliteStore({ file: config.store.file });
}

/** Composition root: config → adapters → modules → http. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createPinoLogger({ level: config.logLevel });
  const templates = await loadTemplateDirectory(config.templatesDir, systemClock);
  logger.info('templates loaded', { licenseTypes: templates.latest().map((t) => `${t.catalogue.name} v${t.version}`) });
  const store = await openStore(config);
  await preparePki(config, logger);
  const trustedRoots = await loadTrustDirectory(pkiPaths(config.certsDir).trustDir);
  if (trustedRoots.length === 0) logger.warn('no trusted root certificates: signatures cannot be verified', { trustDir: pkiPaths(config.certsDir).trustDir });
  const lifecycle: Lifecycle = { shuttingDown: false };
  const app = createApp({
    logger,
    lifecycle,
    jsonLimitBytes: config.jsonLimitBytes,
    health: { pingStore: () => store.ping(), storeKind: store.kind },
    routers: [trustRoutes({ roots: () => trustedRoots })],
  });
  const running = await startHttpServer(app, {
    port: config.port,
    host: config.host,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    logger,
    lifecycle,
    afterDrain: () => store.close(),
  });
  logger.info('license vault listening', { port: running.port, host: config.host, store: store.kind, publicUrl: config.publicUrl });
  installSignalHandlers(logger, (reason) => running.shutdown(reason));
}

/** The development PKI on the embedded default, unless turned off; production brings its own. */
async function preparePki(config: Config, logger: Logger): Promise<string | undefined> {
  if (config.store.kind !== 'sqlite' || config.devPki === 'off') return config.p12Password;
  const pki = await ensureDevelopmentPki(config.certsDir, { now: systemClock.now(), password: config.p12Password });
  if (pki.created) {
    logger.warn('created a DEVELOPMENT PKI (root CA and demo department key): for development only, never for production', { certsDir: config.certsDir });
  }
  return pki.password;
}

function installSignalHandlers(logger: Logger, shutdown: (reason: string) => Promise<void>): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      shutdown(signal).then(
        async () => {
          await logger.flush();
          process.exit(0);
        },
        async (error: unknown) => {
          logger.fatal('shutdown failed', { err: error });
          await logger.flush();
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  // The logger may not exist yet (bad configuration), so say it plainly on stderr.
  const message = isVaultError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`license-vault failed to start: ${message}\n`);
  process.exit(1);
});
