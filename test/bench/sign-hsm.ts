/**
 * `npm run bench:hsm`: signatures per second of the PKCS#11 signer (a key in
 * a SoftHSM2 token) next to the PKCS#12 signer (the key in a Node
 * KeyObject), same key algorithm, same run, same core: the bare private-key
 * operation (`Signer.sign` over 1 KiB of signed attributes) one at a time
 * and four at a time, and a whole PAdES signature of a ~80 KB PDF. Keys and
 * token are test fixtures made at start in a temp directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify, X509Certificate } from 'node:crypto';
import { CadesSignedDataBuilder } from '../../src/adapters/pki/cms/signed-data-builder.js';
import { loadP12Signer } from '../../src/adapters/pki/p12/index.js';
import { writeDepartmentChain } from '../../src/adapters/pki/pki-directory.js';
import { generateKeyPairInToken, Pkcs11Library, Pkcs11SignerProvider, Pkcs11Token } from '../../src/adapters/pki/pkcs11/index.js';
import { addSignaturePlaceholder, savePreparedPdf } from '../../src/adapters/pdf/signature-placeholder.js';
import { PadesSigner, type Signer } from '../../src/modules/signing/index.js';
import { systemClock } from '../../src/shared/clock.js';
import type { Logger } from '../../src/shared/logger.js';
import { makeOnePageDoc, PLACEHOLDER_OPTIONS, SIGNING_TIME } from '../fixtures/pdfs.js';
import { makeTestPki, TEST_DEPARTMENT } from '../fixtures/pki.js';
import { createSoftHsm, SOFTHSM_LIBRARY, TEST_HSM_USER_PIN } from '../support/softhsm.js';
import { format, opsPerSecond } from './measure.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = 4;
const LABEL = 'bench';
const ATTRIBUTES = new Uint8Array(1024).fill(0x31);

/** Like {@link opsPerSecond}, with `concurrency` callers running `work` back to back. */
async function concurrentOpsPerSecond(work: () => Promise<unknown>, seconds: number, concurrency: number): Promise<{ perSecond: number; count: number; ms: number }> {
  await Promise.all(Array.from({ length: concurrency }, () => work()));
  const start = performance.now();
  const end = start + seconds * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await work();
        count += 1;
      }
    }),
  );
  const ms = performance.now() - start;
  return { perSecond: (count * 1000) / ms, count, ms };
}

const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, fatal: () => {}, child: () => silent, flush: async () => {} };

async function main(): Promise<void> {
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  out(`PKCS#11 vs PKCS#12 signing: ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, node ${process.version}, ${SECONDS} s per measurement, SoftHSM2 at ${SOFTHSM_LIBRARY}`);

  const work = mkdtempSync(join(tmpdir(), 'vault-bench-hsm-'));
  // SoftHSM reads SOFTHSM2_CONF at C_Initialize; this process's real environment is set here, before that.
  process.env.SOFTHSM2_CONF = join(work, 'softhsm2.conf');
  const hsm = createSoftHsm();
  hsm.createToken(LABEL);
  const library = new Pkcs11Library(SOFTHSM_LIBRARY);
  const pades = new PadesSigner(new CadesSignedDataBuilder());
  const doc = await makeOnePageDoc({ padding: 48_000 });
  const prepared = await savePreparedPdf(doc, addSignaturePlaceholder(doc, PLACEHOLDER_OPTIONS));
  try {
    for (const algorithm of ['RSA', 'EC'] as const) {
      const name = algorithm === 'RSA' ? 'RSA-2048' : 'ECDSA P-256';
      const pki = makeTestPki({ algorithm, now: SIGNING_TIME });
      const p12 = await loadP12Signer({ p12: pki.department.p12, password: pki.department.password, clock: systemClock });

      const certsDir = join(work, `certs-${algorithm}`);
      const maker = await Pkcs11Token.open(await library.connection(), { label: LABEL, pin: TEST_HSM_USER_PIN, readWrite: true, sessions: 1 });
      const pair = await generateKeyPairInToken(maker, algorithm, `${TEST_DEPARTMENT.creditCode}-${algorithm}`);
      maker.close();
      await writeDepartmentChain(
        certsDir,
        { issuer: pki.root, certificateChain: [pki.root.certificateDer] },
        { department: TEST_DEPARTMENT, publicKey: pair.publicKey, now: pki.now },
      );
      const provider = new Pkcs11SignerProvider({ library, tokenLabel: LABEL, pin: TEST_HSM_USER_PIN, certsDir, clock: systemClock, logger: silent, sessions: CONCURRENCY });
      const hsmSigner = await provider.signerFor(TEST_DEPARTMENT.creditCode);

      const sides: [string, Signer][] = [
        ['PKCS#12', p12],
        ['PKCS#11', hsmSigner],
      ];
      for (const [side, signer] of sides) {
        const signature = await signer.sign(ATTRIBUTES);
        if (!verify('sha256', ATTRIBUTES, new X509Certificate(signer.certificateChain[0]!).publicKey, signature)) throw new Error(`${side} ${name}: the signature does not verify`);
      }

      const measured = new Map<string, number>();
      for (const [label, measure] of [
        ['sign(), one at a time', (signer: Signer) => opsPerSecond(() => signer.sign(ATTRIBUTES), SECONDS)],
        [`sign(), ${CONCURRENCY} at a time`, (signer: Signer) => concurrentOpsPerSecond(() => signer.sign(ATTRIBUTES), SECONDS, CONCURRENCY)],
        [`PAdES of a ${(prepared.pdf.length / 1024).toFixed(0)} KiB PDF, one at a time`, (signer: Signer) => opsPerSecond(() => pades.sign(prepared, signer), SECONDS)],
      ] as const) {
        for (const [side, signer] of sides) {
          const result = await measure(signer);
          measured.set(side, result.perSecond);
          out(`${name} ${label}: ${side} ${format(result.perSecond)} signatures/s (${result.count} in ${format(result.ms)} ms)`);
        }
        out(`${name} ${label}: ratio PKCS#11/PKCS#12 ${(measured.get('PKCS#11')! / measured.get('PKCS#12')!).toFixed(2)}x`);
      }
      await provider.close();
    }
  } finally {
    await library.close();
    hsm.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
