import type { Express } from 'express';
import { StrictPdfSignatureVerifier } from '../../../src/adapters/pki/verifier/strict-pdf-verifier.js';
import { summarizeCertificate } from '../../../src/adapters/pki/x509/index.js';
import { createApp } from '../../../src/http/app.js';
import { verificationRoutes, type VerificationLimits } from '../../../src/http/routes/verification.js';
import type { Principal } from '../../../src/modules/auth/index.js';
import type { LicenseRecord } from '../../../src/modules/licenses/index.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { LicenseVerification } from '../../../src/modules/verification/index.js';
import type { Logger } from '../../../src/shared/logger.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { capturedLogger } from '../../support/log-capture.js';
import type { VaultHarness } from '../../support/vault-harness.js';

export const ISSUER: Principal = { clientId: 'issuer-fz', role: 'issuer', department: TEST_DEPARTMENT.creditCode };

/** Limits no test reaches unless it lowers one. */
export const GENEROUS: VerificationLimits = { perMinute: 1000, fieldChecksPerMinute: 1000, fieldChecksPerDay: 1000, uploadsInFlight: 1000 };

/** The verification routes alone over `vault`, with the real strict verifier trusting the harness root. */
export function verificationApp(
  vault: VaultHarness,
  options: { readonly limits?: Partial<VerificationLimits>; readonly logger?: Logger; readonly trustProxy?: boolean } = {},
): Express {
  const verifier = new StrictPdfSignatureVerifier({
    trustedRoots: () => [{ der: vault.pki.root.certificateDer, pem: vault.pki.rootPem, summary: summarizeCertificate(vault.pki.root.certificateDer) }],
    clock: vault.clock,
  });
  const logger = options.logger ?? capturedLogger().logger;
  return createApp({
    logger,
    lifecycle: { shuttingDown: false },
    jsonLimitBytes: 1024,
    health: { pingStore: () => vault.store.ping(), storeKind: 'sqlite' },
    trustProxy: options.trustProxy ?? false,
    routers: [verificationRoutes(new LicenseVerification(vault.store, verifier, vault.templates, vault.clock), { ...GENEROUS, ...options.limits, clock: vault.clock, logger })],
  });
}

/** Issues a teacher qualification to `holder` (李秀英 by default) and returns it with its PDF. */
export async function issueTeacherLicense(
  vault: VaultHarness,
  holder: { readonly id: string; readonly name: string } = { id: '11010519491231002X', name: '李秀英' },
): Promise<{ license: LicenseRecord; pdf: Uint8Array }> {
  const teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
  const { license } = await vault.issuance.issue(ISSUER, { licenseType: teacher.catalogue.typeCode, holder: { type: 'citizen', ...holder }, fields: teacher.example.fields });
  return { license, pdf: (await vault.store.licenseFiles.get(license.identifier))!.bytes };
}
