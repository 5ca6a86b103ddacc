/**
 * `npm run bench:sign`: PAdES signatures per second on one core, on a ready
 * ~80 KB PDF, ours against @signpdf/signpdf with @signpdf/signer-p12 on the
 * same document, measured in the same run. Keys are test fixtures made at
 * start.
 */
import { cpus } from 'node:os';
import { SignPdf } from '@signpdf/signpdf';
import { P12Signer } from '@signpdf/signer-p12';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { CadesSignedDataBuilder } from '../../src/adapters/pki/cms/signed-data-builder.js';
import { loadP12Signer } from '../../src/adapters/pki/p12/index.js';
import { StrictPdfSignatureVerifier } from '../../src/adapters/pki/verifier/strict-pdf-verifier.js';
import { summarizeCertificate } from '../../src/adapters/pki/x509/index.js';
import { addSignaturePlaceholder, savePreparedPdf } from '../../src/adapters/pdf/signature-placeholder.js';
import { PadesSigner } from '../../src/modules/signing/index.js';
import { systemClock } from '../../src/shared/clock.js';
import { makeOnePageDoc, PLACEHOLDER_OPTIONS, SIGNING_TIME } from '../fixtures/pdfs.js';
import { makeTestPki } from '../fixtures/pki.js';
import { format, opsPerSecond } from './measure.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PADDING = 48_000;

async function main(): Promise<void> {
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  out(`signing benchmark: ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, node ${process.version}, ${SECONDS} s per side, one core`);

  for (const algorithm of ['RSA', 'EC'] as const) {
    const pki = makeTestPki({ algorithm, now: SIGNING_TIME });
    const oursDoc = await makeOnePageDoc({ padding: PADDING });
    const prepared = await savePreparedPdf(oursDoc, addSignaturePlaceholder(oursDoc, PLACEHOLDER_OPTIONS));
    const signer = await loadP12Signer({ p12: pki.department.p12, password: pki.department.password, clock: systemClock });
    const pades = new PadesSigner(new CadesSignedDataBuilder());

    const sample = await pades.sign(prepared, signer);
    const verifier = new StrictPdfSignatureVerifier({
      trustedRoots: () => [{ der: pki.root.certificateDer, pem: pki.rootPem, summary: summarizeCertificate(pki.root.certificateDer) }],
      clock: systemClock,
    });
    const verdict = await verifier.verify(sample);
    if (!verdict.valid) throw new Error(`our sample does not verify: ${JSON.stringify(verdict.checks.filter((c) => !c.ok))}`);

    const ours = await opsPerSecond(() => pades.sign(prepared, signer), SECONDS);
    out(
      `${algorithm === 'RSA' ? 'RSA-2048' : 'ECDSA P-256'}: ours ${format(ours.perSecond)} signatures/s (${ours.count} in ${format(ours.ms)} ms) on a ${(prepared.pdf.length / 1024).toFixed(0)} KiB PDF`,
    );

    if (algorithm !== 'RSA') continue; // @signpdf/signer-p12 (forge) handles RSA keys only.
    const peerDoc = await makeOnePageDoc({ padding: PADDING });
    pdflibAddPlaceholder({
      pdfDoc: peerDoc,
      reason: PLACEHOLDER_OPTIONS.reason ?? '',
      contactInfo: '',
      name: '',
      location: '',
      signingTime: PLACEHOLDER_OPTIONS.signingTime,
      signatureLength: 16_384,
    });
    const peerPrepared = Buffer.from(await peerDoc.save({ useObjectStreams: false }));
    const signpdf = new SignPdf();
    // The peer's P12Signer is made per signature: that is how it is used, since it keeps no decrypted key between calls.
    const peer = await opsPerSecond(() => signpdf.sign(peerPrepared, new P12Signer(Buffer.from(pki.department.p12), { passphrase: pki.department.password })), SECONDS);
    out(
      `RSA-2048: peer @signpdf/signpdf + @signpdf/signer-p12 ${format(peer.perSecond)} signatures/s (${peer.count} in ${format(peer.ms)} ms) on a ${(peerPrepared.length / 1024).toFixed(0)} KiB PDF`,
    );
    out(`RSA-2048: ratio ours/peer ${format(ours.perSecond / peer.perSecond)}x`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
