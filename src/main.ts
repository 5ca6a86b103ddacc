import { dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { createPinoLogger } from './adapters/logging/pino-logger.js';
import { SealImageFolder } from './adapters/pdf/seal-image-folder.js';
import { readFileShared, VaultWorkerPool, type SharedLicenseFonts } from './adapters/workers/worker-pool.js';
import { ecdsaCheckpointSigner } from './adapters/pki/checkpoint-signer.js';
import { CadesSignedDataBuilder } from './adapters/pki/cms/signed-data-builder.js';
import { ensureDevelopmentPki } from './adapters/pki/development-pki.js';
import { pkiPaths } from './adapters/pki/pki-directory.js';
import { loadTrustDirectory } from './adapters/pki/x509/index.js';
import { loadOrCreateFingerprintKeys } from './adapters/keys/fingerprint-keys.js';
import { loadTemplateDirectory } from './adapters/templates/template-directory.js';
import { JwtTokenService } from './adapters/tokens/jwt-tokens.js';
import { loadOrCreateTokenSigningKey } from './adapters/tokens/signing-key.js';
import { qrcodeEncoder } from './adapters/qr/qrcode-encoder.js';
import { AUTHORIZATIONS_PER_MINUTE, authorizationServices } from './composition/authorizations.js';
import { annotatedCopies, shareCopyMaker } from './composition/copies.js';
import { openStore } from './composition/open-store.js';
import { configureHolderSignIn } from './composition/holder-sign-in.js';
import { checkProductionSafety } from './composition/production-checks.js';
import { holderUsage, licenseFaceImages } from './composition/holder-usage.js';
import { rekeyAuditFingerprints } from './composition/rekey-audit.js';
import { holderPageBackends } from './composition/holder-pages.js';
import { holderShares } from './composition/shares.js';
import { startRecovery } from './composition/recovery.js';
import { configureSigners } from './composition/signers.js';
import { demoStaffTotp, loadStaffKey, staffSignInWith, sweepStaffSignIn, totpQrSvg } from './composition/staff-sign-in.js';
import { loadConfig, type Config } from './config/index.js';
import { createApp } from './http/app.js';
import type { Lifecycle } from './http/lifecycle.js';
import { vaultRouters } from './http/routers.js';
import { loadConsoleBundle } from './http/routes/console.js';
import { startHttpServer } from './http/server.js';
import { SecurityEventRecorder } from './modules/audit/index.js';
import { actorOf, createAuthenticator, FailedAttemptLimiter, SecretCheckGate } from './modules/auth/index.js';
import { HolderSessions } from './modules/holders/index.js';
import { keyedHolderFingerprinter, LicenseIssuance, LicenseLifecycle, LicensePreview, LicenseQueries, type IssuancePoint } from './modules/licenses/index.js';
import { StaffLicenseFaces } from './modules/usage/index.js';
import { PadesSigner } from './modules/signing/index.js';
import { LicenseVerification, VerificationTally } from './modules/verification/index.js';
import { ensureDemoSetup } from './setup/demo-setup.js';
import { systemClock } from './shared/clock.js';
import { isVaultError } from './shared/errors.js';
import type { Logger } from './shared/logger.js';

/** Composition root: config → adapters → modules → http. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  await checkProductionSafety(config);
  const logger = createPinoLogger({ level: config.logLevel });
  const templates = await loadTemplateDirectory(config.templatesDir, systemClock);
  logger.info('templates loaded', { licenseTypes: templates.latest().map((t) => `${t.catalogue.name} v${t.version}`) });
  const store = await openStore(config);
  const p12Password = await preparePki(config, logger);
  if (p12Password === undefined && config.signer === 'p12') logger.warn('VAULT_P12_PASSWORD is not set: departments cannot sign until it is');
  const trustedRoots = await loadTrustDirectory(pkiPaths(config.certsDir).trustDir);
  if (trustedRoots.length === 0) logger.warn('no trusted root certificates: signatures cannot be verified', { trustDir: pkiPaths(config.certsDir).trustDir });
  const staffKey = await loadStaffKey(config, logger);
  await ensureDemoSetup({
    store,
    clock: systemClock,
    logger,
    dataDir: config.dataDir,
    mode: config.demoSetup,
    licenseTypes: templates.latest().map((t) => t.catalogue.typeCode),
    staffTotp: demoStaffTotp(staffKey),
  });
  const tokenKey = await loadOrCreateTokenSigningKey(config.certsDir);
  if (tokenKey.created) logger.warn('created the access-token signing key: API nodes must share this file', { file: tokenKey.file, keyId: tokenKey.keyId });
  const tokens = new JwtTokenService({ key: tokenKey, issuer: config.publicUrl, ttlSeconds: config.tokenTtlSeconds, clock: systemClock });
  // One cap on the scrypt checks of the process, for programs' token requests and people's sign-ins alike.
  const secretChecks = new SecretCheckGate();
  const authenticator = createAuthenticator({ accounts: store.accounts, tokens, secretChecks });
  const checkpointSigner = ecdsaCheckpointSigner(tokenKey);
  const fingerprintKeys = await loadOrCreateFingerprintKeys(config.certsDir, systemClock.now());
  if (fingerprintKeys.created)
    logger.warn('created the audit fingerprint key: API nodes must share this file; keep it with the keys, never with the store', { file: fingerprintKeys.file });
  const fingerprinter = keyedHolderFingerprinter(fingerprintKeys.ring);
  await rekeyAuditFingerprints({ store, fingerprinter, clock: systemClock, logger });
  const recovery = await startRecovery({ config, store, signer: checkpointSigner, clock: systemClock, logger });
  const fonts = await loadLicenseFonts();
  const workers = new VaultWorkerPool({
    workerFile: new URL(extname(fileURLToPath(import.meta.url)) === '.ts' ? './composition/vault-worker.dev.mjs' : './composition/vault-worker.js', import.meta.url).href,
    data: { fonts, trustedRoots: trustedRoots.map((root) => root.der) },
    threads: config.workerThreads,
    onThreadError: (error) => logger.error('a worker thread failed', { err: error }),
  });
  const isKnownLicenseType = (typeCode: string) => templates.latest().some((t) => t.catalogue.typeCode === typeCode);
  const signing = await configureSigners(config, p12Password, systemClock, logger);
  const sealImages = new SealImageFolder(pkiPaths(config.certsDir).sealsDir);
  const issuance = new LicenseIssuance({
    store,
    templates,
    renderer: workers.renderer,
    pades: new PadesSigner(new CadesSignedDataBuilder()),
    signers: signing.signers,
    sealImages,
    clock: systemClock,
    publicUrl: config.publicUrl,
    gate: recovery.gate,
    ...(config.failpoint ? { reached: killAt(config.failpoint, logger) } : {}),
  });
  const securityEvents = new SecurityEventRecorder({ audit: store.audit, clock: systemClock });
  // Summaries of repeated refusals are written once their window closes, even when no further one comes.
  const securityFlush = setInterval(() => void securityEvents.flush().catch((error: unknown) => logger.error('security event summaries not written', { err: error })), 60_000);
  securityFlush.unref();
  const holderSessions = new HolderSessions(store.holderSessions, systemClock, config.holderSessionMinutes * 60);
  // Expired sessions resolve to no one already; this only keeps the table small (MongoDB's TTL index does the same there).
  const sessionSweep = setInterval(() => void holderSessions.sweep().catch((error: unknown) => logger.error('expired holder sessions not swept', { err: error })), 15 * 60_000);
  sessionSweep.unref();
  const staffSignIn = staffSignInWith(config, staffKey, { store, clock: systemClock, securityEvents, secretChecks });
  const staffSweep = setInterval(() => void sweepStaffSignIn(staffSignIn).catch((error: unknown) => logger.error('ended staff sessions not swept', { err: error })), 5 * 60_000);
  staffSweep.unref();
  // Anonymous verifications are counted in memory and written every few seconds and at shutdown: counts, not acknowledged data.
  const verificationTally = new VerificationTally({ repository: store.verificationCounts, clock: systemClock });
  const tallyFlush = setInterval(() => void verificationTally.flush().catch((error: unknown) => logger.warn('verification counts not written yet', { err: error })), 5_000);
  tallyFlush.unref();
  const holderSignIn = await configureHolderSignIn(config, { sessions: holderSessions, fingerprinter, clock: systemClock, logger });
  const authorizations = authorizationServices({ store, clock: systemClock, fingerprinter, securityEvents, isKnownLicenseType, lookupPolicy: config.lookupPolicy });
  const faces = licenseFaceImages(workers.faces);
  const queries = new LicenseQueries(
    store,
    systemClock,
    fingerprinter,
    (principal, identifier, owner) =>
      securityEvents.record({ action: 'license.read.denied', actor: actorOf(principal), target: identifier, details: { department: principal.department, ...owner } }),
    authorizations.consent,
  );
  const licenseDeps = {
    issuance,
    queries,
    faces: new StaffLicenseFaces({ queries, files: store.licenseFiles, faces }),
    lifecycle: new LicenseLifecycle(store, systemClock, fingerprinter),
    preview: new LicensePreview({ departments: store.departments, templates, renderer: workers.renderer, faces: workers.faces, sealImages, clock: systemClock }),
    copies: annotatedCopies({
      store,
      fonts: { regular: new Uint8Array(fonts.regular), bold: new Uint8Array(fonts.bold) },
      signers: signing.signers,
      fingerprinter,
      clock: systemClock,
      publicUrl: config.publicUrl,
      consent: authorizations.consent,
    }),
    templates,
    clock: systemClock,
    publicUrl: config.publicUrl,
    lookupsPerMinute: config.lookupsPerMinute,
  };
  const verification = new LicenseVerification(store, workers.verifier, templates, systemClock, verificationTally);
  const shares = holderShares({ store, clock: systemClock, fingerprinter, verification, securityEvents, copies: shareCopyMaker(licenseDeps.copies) });
  const myLicenses = holderUsage({ store, fingerprinter, templates, clock: systemClock, securityEvents, faces });
  const lifecycle: Lifecycle = { shuttingDown: false };
  const app = createApp({
    logger,
    lifecycle,
    jsonLimitBytes: config.jsonLimitBytes,
    trustProxy: config.trustProxy,
    health: { pingStore: () => store.ping(), storeKind: store.kind },
    routers: vaultRouters({
      clock: systemClock,
      logger,
      publicUrl: config.publicUrl,
      // Built next to dist/main.js; `npm run dev` (src/main.ts) serves the last build's.
      consoleBundle: loadConsoleBundle(fileURLToPath(new URL(extname(fileURLToPath(import.meta.url)) === '.ts' ? '../dist/console' : './console', import.meta.url))),
      swaggerUiDir: dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json')),
      trust: { roots: () => trustedRoots },
      templates,
      verification,
      verificationLimits: {
        perMinute: config.verificationsPerMinute,
        fieldChecksPerMinute: config.fieldChecksPerMinute,
        fieldChecksPerDay: config.fieldChecksPerDay,
        uploadsInFlight: config.uploadsInFlightPerClient,
      },
      authenticator,
      failedAttempts: new FailedAttemptLimiter(systemClock),
      failedAttemptsPerAddress: new FailedAttemptLimiter(systemClock, 20),
      tokenRequestsPerMinute: config.tokenRequestsPerMinute,
      securityEvents,
      holderSessions,
      staffSignIn: staffSignIn.signIn,
      qrSvg: totpQrSvg,
      holderSignIn: holderSignIn.signIn,
      devIdentityProvider: holderSignIn.devIdentityProvider,
      shares,
      holderPages: holderPageBackends({
        publicUrl: config.publicUrl,
        templates,
        qr: qrcodeEncoder,
        shares,
        authorizations: { holders: authorizations.holders, departments: store.departments },
        ...myLicenses,
      }),
      admin: { store, clock: systemClock, isKnownLicenseType, sealImages },
      licenses: licenseDeps,
      audit: { audit: store.audit, signer: checkpointSigner, clock: systemClock },
      myLicenses,
      redemption: { redemption: authorizations.redemption, templates, clock: systemClock, publicUrl: config.publicUrl, lookupsPerMinute: config.lookupsPerMinute },
      holderAuthorizations: {
        authorizations: authorizations.holders,
        departments: store.departments,
        qr: qrcodeEncoder,
        clock: systemClock,
        publicUrl: config.publicUrl,
        createsPerMinute: AUTHORIZATIONS_PER_MINUTE,
      },
    }),
  });
  const running = await startHttpServer(app, {
    port: config.port,
    host: config.host,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    logger,
    lifecycle,
    afterDrain: async () => {
      clearInterval(securityFlush);
      clearInterval(sessionSweep);
      clearInterval(staffSweep);
      clearInterval(tallyFlush);
      await verificationTally.flush().catch((error: unknown) => logger.warn('verification counts lost at shutdown', { err: error }));
      await securityEvents.close();
      await recovery.stop();
      await workers.close();
      await signing.close();
      await store.close();
    },
  });
  logger.info('license vault listening', { port: running.port, host: config.host, store: store.kind, publicUrl: config.publicUrl });
  installSignalHandlers(logger, (reason) => running.shutdown(reason));
}

/** Noto Serif SC from its npm package, resolved from this module so the working directory does not matter. */
/** VAULT_FAILPOINT: SIGKILL at the `hit`-th time `point` is reached, as a crash would, with no cleanup. */
function killAt(failpoint: NonNullable<Config['failpoint']>, logger: Logger): (point: IssuancePoint) => void {
  let seen = 0;
  logger.warn('failpoint armed: this process will kill itself during an issuance', { failpoint: `${failpoint.point}:${failpoint.hit}` });
  return (point) => {
    if (point !== failpoint.point || ++seen !== failpoint.hit) return;
    process.kill(process.pid, 'SIGKILL');
  };
}

async function loadLicenseFonts(): Promise<SharedLicenseFonts> {
  const require = createRequire(import.meta.url);
  const [regular, bold] = await Promise.all([
    readFileShared(require.resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf')),
    readFileShared(require.resolve('@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf')),
  ]);
  return { regular, bold };
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
