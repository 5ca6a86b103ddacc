import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateFingerprintKeys } from '../../src/adapters/keys/fingerprint-keys.js';
import { PdfLibLicenseRenderer } from '../../src/adapters/pdf/license-renderer.js';
import { SealImageFolder } from '../../src/adapters/pdf/seal-image-folder.js';
import { CadesSignedDataBuilder } from '../../src/adapters/pki/cms/signed-data-builder.js';
import { P12SignerProvider } from '../../src/adapters/pki/p12/p12-signer-provider.js';
import { exportPkcs12 } from '../../src/adapters/pki/p12/index.js';
import { PLATFORM_KEY_NAME, pkiPaths } from '../../src/adapters/pki/pki-directory.js';
import { certifyPlatformKey, generatePrivateKey, issueDepartmentCertificate, summarizeCertificate } from '../../src/adapters/pki/x509/index.js';
import { annotatedCopies } from '../../src/composition/copies.js';
import type { AnnotatedCopies } from '../../src/modules/copies/index.js';
import { qrcodeEncoder } from '../../src/adapters/qr/qrcode-encoder.js';
import { openSqliteStore } from '../../src/adapters/storage/sqlite/sqlite-store.js';
import { loadTemplateDirectory } from '../../src/adapters/templates/template-directory.js';
import type { LicenseRouteDependencies } from '../../src/http/routes/licenses.js';
import type { DepartmentRecord } from '../../src/modules/departments/index.js';
import {
  keyedHolderFingerprinter,
  LicenseIssuance,
  LicenseLifecycle,
  LicenseQueries,
  type HolderFingerprinter,
  type IssuanceDependencies,
} from '../../src/modules/licenses/index.js';
import { PadesSigner } from '../../src/modules/signing/index.js';
import type { VaultStore } from '../../src/composition/vault-store.js';
import type { TemplateCatalog } from '../../src/modules/templates/index.js';
import { FaceImages, StaffLicenseFaces } from '../../src/modules/usage/index.js';
import { PdfiumFaceRenderer } from '../../src/adapters/pdfium/pdfium-face-renderer.js';
import type { Clock } from '../../src/shared/clock.js';
import { licenseFonts } from '../fixtures/fonts.js';
import { makeTestPki, TEST_DEPARTMENT, type TestPki } from '../fixtures/pki.js';

export const PUBLIC_URL = 'https://zzk.example.gov.cn';

/** A settable clock for tests that move time. */
export function movableClock(start: string): Clock & { set(instant: string): void } {
  let now = new Date(start);
  return { now: () => new Date(now), set: (instant) => void (now = new Date(instant)) };
}

export interface VaultHarness {
  readonly dir: string;
  /** VAULT_CERTS_DIR: `departments/{signingKey}.p12` key stores, `seals/` images. */
  readonly certsDir: string;
  readonly store: VaultStore;
  readonly templates: TemplateCatalog;
  readonly issuance: LicenseIssuance;
  /** What `issuance` was built from, to build another over a different store. */
  readonly issuanceDeps: IssuanceDependencies;
  readonly pki: TestPki;
  readonly department: DepartmentRecord;
  readonly clock: Clock & { set(instant: string): void };
  /** Keyed with `{certsDir}/audit/fingerprint-keys.json`, as the vault's is. */
  readonly fingerprinter: HolderFingerprinter;
  /** Look-ups, reads and downloads over the harness's store, audited with `fingerprinter`. */
  readonly queries: LicenseQueries;
  /** Annotated copies over the harness's store, signed with the platform key store `departments/vault-platform.p12` (EC, under the test root). */
  readonly copies: AnnotatedCopies;
  close(): Promise<void>;
}

/** TEST FIXTURE: a real vault core (SQLite in a temp dir, shipped templates, fixture PKI) for use-case and HTTP tests. */
export async function openVaultHarness(start = '2026-11-21T02:00:00Z'): Promise<VaultHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'vault-harness-'));
  const clock = movableClock(start);
  const pki = makeTestPki({ now: new Date(start) });
  const certsDir = join(dir, 'certs');
  mkdirSync(pkiPaths(certsDir).departmentsDir, { recursive: true });
  writeFileSync(pkiPaths(certsDir).departmentFile(TEST_DEPARTMENT.creditCode), pki.department.p12);
  const store = openSqliteStore({ file: join(dir, 'vault.db') });
  const templates = await loadTemplateDirectory(join(__dirname, '../../templates'), clock);
  const department: DepartmentRecord = {
    creditCode: TEST_DEPARTMENT.creditCode,
    name: TEST_DEPARTMENT.name,
    divisionCode: '350100',
    licenseTypes: templates.latest().map((t) => t.catalogue.typeCode),
    signingKey: TEST_DEPARTMENT.creditCode,
    sealImage: null,
    createdAt: start,
    updatedAt: start,
  };
  await store.departments.insert(department);
  const issuanceDeps: IssuanceDependencies = {
    store,
    templates,
    renderer: new PdfLibLicenseRenderer(licenseFonts(), qrcodeEncoder),
    pades: new PadesSigner(new CadesSignedDataBuilder()),
    signers: new P12SignerProvider(certsDir, pki.department.password, clock),
    sealImages: new SealImageFolder(pkiPaths(certsDir).sealsDir),
    clock,
    publicUrl: PUBLIC_URL,
  };
  const issuance = new LicenseIssuance(issuanceDeps);
  const fingerprinter = keyedHolderFingerprinter((await loadOrCreateFingerprintKeys(certsDir, clock.now())).ring);
  writePlatformKeyStore(certsDir, pki);
  const copies = annotatedCopies({ store, fonts: licenseFonts(), signers: issuanceDeps.signers, fingerprinter, clock, publicUrl: PUBLIC_URL });
  return {
    dir,
    certsDir,
    store,
    templates,
    issuance,
    issuanceDeps,
    pki,
    department,
    clock,
    fingerprinter,
    queries: new LicenseQueries(store, clock, fingerprinter),
    copies,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Draws faces for the license routes of every harness in a test file (PDFium's WebAssembly is loaded on first use). */
const harnessFaceRenderer = new PdfiumFaceRenderer();

/** What the license routes need, over the harness's store: its issuance unless another is given, 20 look-ups a minute unless said. */
export function licenseRouteDependencies(
  vault: VaultHarness,
  changes: Partial<Pick<LicenseRouteDependencies, 'issuance' | 'lookupsPerMinute'>> & { readonly faces?: FaceImages } = {},
): LicenseRouteDependencies {
  const { faces = new FaceImages(harnessFaceRenderer), ...rest } = changes;
  return {
    issuance: vault.issuance,
    queries: vault.queries,
    faces: new StaffLicenseFaces({ queries: vault.queries, files: vault.store.licenseFiles, faces }),
    lifecycle: new LicenseLifecycle(vault.store, vault.clock, vault.fingerprinter),
    copies: vault.copies,
    templates: vault.templates,
    clock: vault.clock,
    publicUrl: PUBLIC_URL,
    lookupsPerMinute: 20,
    ...rest,
  };
}

/** TEST FIXTURE: the vault platform's annotated-copy key store, an EC key certified by the test root for a year from the fixture's `now`. */
function writePlatformKeyStore(certsDir: string, pki: TestPki): void {
  const day = 86_400_000;
  const privateKey = generatePrivateKey('EC');
  const certificateDer = certifyPlatformKey({
    issuer: pki.root,
    publicKey: privateKey,
    validFrom: new Date(pki.now.getTime() - day),
    validTo: new Date(pki.now.getTime() + 365 * day),
  });
  writeFileSync(
    pkiPaths(certsDir).departmentFile(PLATFORM_KEY_NAME),
    exportPkcs12({ privateKey, certificateChain: [certificateDer, pki.root.certificateDer], password: pki.department.password, friendlyName: '电子证照库平台 加注件签章' }),
  );
}

/**
 * TEST FIXTURE: a second key store of the test department, as after a key
 * rotation: a new P-256 key certified by the harness's root, written as
 * `departments/{keyName}.p12`. Returns its certificate's SHA-256 fingerprint.
 */
export function addDepartmentKeyStore(vault: Pick<VaultHarness, 'certsDir' | 'pki'>, keyName: string): string {
  const day = 86_400_000;
  const issued = issueDepartmentCertificate({
    issuer: vault.pki.root,
    department: TEST_DEPARTMENT,
    algorithm: 'EC',
    validFrom: new Date(vault.pki.now.getTime() - day),
    validTo: new Date(vault.pki.now.getTime() + 365 * day),
  });
  const p12 = exportPkcs12({
    privateKey: issued.privateKey,
    certificateChain: [issued.certificateDer, vault.pki.root.certificateDer],
    password: vault.pki.department.password,
    friendlyName: TEST_DEPARTMENT.name,
  });
  writeFileSync(pkiPaths(vault.certsDir).departmentFile(keyName), p12);
  return summarizeCertificate(issued.certificateDer).fingerprint256;
}
