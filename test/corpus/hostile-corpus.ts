import { createHash } from 'node:crypto';
import { createDeflate } from 'node:zlib';
import { CadesSignedDataBuilder } from '../../src/adapters/pki/cms/signed-data-builder.js';
import { locateSignaturePlaceholder } from '../../src/lib/pdf-bytes/index.js';
import { PadesSigner } from '../../src/modules/signing/index.js';
import { resultOfFailedCheck, type VerificationResult } from '../../src/modules/verification/index.js';
import { HOSTILE_PDFS } from '../support/hostile-pdfs.js';
import { appendUpdate, objectBody, objectNumberOfType, trailerOf } from '../support/incremental-update.js';
import { solidPng } from '../support/rendering.js';
import { contentsOf, resign, signatureLayout, signedBytes, withByteRange, withContents } from '../support/signature-surgery.js';
import { flipByte, offsetInFirstStream, uncheckedSigner } from '../support/tamper.js';
import { expiredDepartmentSigner, lookAlikeRootSigner, selfSignedDepartmentSigner, sha1DetachedCms, strangerSigner, type Department, type VaultKeys } from './forged-signers.js';

/**
 * The hostile-file corpus: every way a file sent for verification can be
 * broken, forged or replayed, generated from licenses a running vault issued
 * (no binary is kept in the repository). Each case names the answer the vault
 * must give.
 */

export type CorpusExpectation =
  | { readonly kind: 'verdict'; readonly result: VerificationResult; /** The first check that fails (after 'issued-file'). */ readonly failedCheck?: string }
  | { readonly kind: 'refused'; readonly status: number; readonly code: string }
  | { readonly kind: 'fields'; readonly result: 'consistent' | 'inconsistent' };

export type CorpusCase =
  | { readonly name: string; readonly upload: { readonly bytes: Uint8Array; readonly fileName: string }; readonly expected: CorpusExpectation }
  | { readonly name: string; readonly fields: { readonly identifier: string; readonly holderName: string; readonly holderId: string }; readonly expected: CorpusExpectation };

/** What the corpus is made from: licenses of one vault in each state, and that vault's keys. */
export interface CorpusMaterial {
  readonly now: Date;
  readonly department: Department;
  readonly keys: VaultKeys;
  readonly genuine: { readonly bytes: Uint8Array; readonly identifier: string };
  /** Another active license of the same vault. */
  readonly other: Uint8Array;
  readonly revoked: Uint8Array;
  readonly superseded: Uint8Array;
}

const GIB = 1024 * 1024 * 1024;

/** A zlib stream that inflates to `size` zero bytes, made without holding them all. */
async function zerosDeflated(size: number): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  const block = Buffer.alloc(64 * 1024 * 1024);
  for (let written = 0; written < size; written += block.length) {
    if (!deflate.write(block)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return Buffer.concat(chunks);
}

/** Deterministic bytes that look like nothing. */
function noise(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

function stream(dictionary: string, data: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`<< ${dictionary} /Length ${data.length} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]);
}

/** Every xref entry's offset replaced by one past the end of the file, widths kept. */
function breakXref(pdf: Uint8Array): Buffer {
  const copy = Buffer.from(pdf);
  const start = copy.lastIndexOf('\nxref\n') + 1;
  const end = copy.indexOf('trailer', start);
  const table = copy
    .subarray(start, end)
    .toString('latin1')
    .replace(/^\d{10}(?= \d{5} n)/gm, '9999999999');
  copy.write(table, start, 'latin1');
  return copy;
}

/** The page redrawn: a white box over the holder's details and new text on top. */
function textChanged(pdf: Uint8Array): Buffer {
  const next = trailerOf(pdf).size;
  const page = objectNumberOfType(pdf, 'Page');
  const overlay = Buffer.from('q 1 1 1 rg 60 560 480 200 re f Q BT /ForgedFont 18 Tf 80 700 Td (Name: FORGED HOLDER) Tj ET', 'latin1');
  const body = objectBody(pdf, page)
    .replace(/\/Contents\s*\[([^\]]*)\]/, `/Contents [$1 ${next} 0 R ]`)
    .replace(/\/Font\s*<</, `/Font << /ForgedFont ${next + 1} 0 R`);
  return appendUpdate(pdf, [
    { number: next, body: stream('', overlay) },
    { number: next + 1, body: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>' },
    { number: page, body },
  ]);
}

function pageAdded(pdf: Uint8Array): Buffer {
  const next = trailerOf(pdf).size;
  const pages = objectNumberOfType(pdf, 'Pages');
  const body = objectBody(pdf, pages)
    .replace(/\/Kids\s*\[([^\]]*)\]/, `/Kids [$1 ${next} 0 R ]`)
    .replace(/\/Count\s+(\d+)/, (_, count: string) => `/Count ${Number(count) + 1}`);
  return appendUpdate(pdf, [
    { number: next, body: `<< /Type /Page /Parent ${pages} 0 R /MediaBox [ 0 0 595.28 841.89 ] /Contents ${next + 1} 0 R /Resources << >> >>` },
    { number: next + 1, body: stream('', Buffer.from('0 0 1 rg 100 400 395 80 re f', 'latin1')) },
    { number: pages, body },
  ]);
}

function annotationAdded(pdf: Uint8Array): Buffer {
  const next = trailerOf(pdf).size;
  const page = objectNumberOfType(pdf, 'Page');
  const body = objectBody(pdf, page).replace(/\/Annots\s*\[/, `/Annots [ ${next} 0 R `);
  return appendUpdate(pdf, [
    { number: next, body: `<< /Type /Annot /Subtype /FreeText /Rect [ 80 400 500 460 ] /Contents (annotated after signing) /DA (/Helv 14 Tf 1 0 0 rg) /P ${page} 0 R >>` },
    { number: page, body },
  ]);
}

/** A second signature field, appended and really signed by another authority over the whole updated file. */
async function secondSignature(pdf: Uint8Array): Promise<Uint8Array> {
  const next = trailerOf(pdf).size;
  const page = objectNumberOfType(pdf, 'Page');
  const acroForm = Number(/\/AcroForm\s+(\d+)\s+0\s+R/.exec(objectBody(pdf, Number(/(\d+)/.exec(trailerOf(pdf).root)?.[1])))?.[1]);
  const form = objectBody(pdf, acroForm).replace(/\/Fields\s*\[/, `/Fields [ ${next + 1} 0 R `);
  const update = appendUpdate(pdf, [
    {
      number: next,
      body: `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [ 0 /********** /********** /********** ] /Contents <${'0'.repeat(32768)}> /Reason (countersigned) >>`,
    },
    { number: next + 1, body: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature-second) /V ${next} 0 R /F 132 /Rect [ 0 0 0 0 ] /P ${page} 0 R >>` },
    { number: acroForm, body: form },
  ]);
  // Written by hand, so the placeholder's offsets come from the locator.
  return new PadesSigner(new CadesSignedDataBuilder()).sign({ pdf: update, placeholder: locateSignaturePlaceholder(update) }, strangerSigner());
}

/** The CMS of the genuine key over other content: its signature holds, its message digest does not. */
async function digestMismatch(material: CorpusMaterial): Promise<Buffer> {
  const { genuine, other, keys } = material;
  const digest = createHash('sha256').update(signedBytes(other)).digest();
  const cms = await new CadesSignedDataBuilder().createDetachedSignature(digest, uncheckedSigner(keys.department.privateKey, keys.department.chain));
  return withContents(genuine.bytes, cms);
}

export async function buildHostileCorpus(material: CorpusMaterial): Promise<CorpusCase[]> {
  const { genuine, department, keys, now } = material;
  const pdf = genuine.bytes;
  const { byteRangeStart, contentsStart: a, contentsEnd: b } = signatureLayout(pdf);
  const c = pdf.length - b;
  const verdict = (result: VerificationResult, failedCheck?: string): CorpusExpectation => ({ kind: 'verdict', result, ...(failedCheck ? { failedCheck } : {}) });
  const file = (name: string, bytes: Uint8Array, expected: CorpusExpectation, fileName = 'license.pdf'): CorpusCase => ({ name, upload: { bytes, fileName }, expected });
  const bomb = await zerosDeflated(GIB);
  const trailerSize = trailerOf(pdf).size;

  return [
    file('the genuine license, as issued (control)', pdf, verdict('authentic')),
    file('empty file', Buffer.alloc(0), { kind: 'refused', status: 400, code: 'ERR_PDF_INVALID' }),
    file('a PNG named license.pdf', solidPng(8, 8, [200, 0, 0]), { kind: 'refused', status: 400, code: 'ERR_PDF_INVALID' }),
    file('truncated before its signature', pdf.subarray(0, Math.floor(byteRangeStart / 2)), verdict('malformed', 'signature-present')),
    file('truncated after its signature', pdf.subarray(0, b + Math.floor(c / 2)), verdict('tampered', 'whole-file')),
    file('4 KiB of garbage after %%EOF', Buffer.concat([pdf, noise(4096, 7)]), verdict('tampered', 'whole-file')),
    file('broken xref (every offset past the end)', breakXref(pdf), verdict('tampered', 'message-digest')),
    file(
      'appended update whose /Prev points at itself',
      appendUpdate(pdf, [{ number: trailerSize, body: '<< /Producer (loop) >>' }], { prev: (own) => own }),
      verdict('tampered', 'whole-file'),
    ),
    file(
      'appended update with 100,000 nested arrays',
      appendUpdate(pdf, [{ number: trailerSize, body: `${'['.repeat(100_000)}${']'.repeat(100_000)}` }]),
      verdict('malformed', 'pdf-structure'),
    ),
    file(
      `Flate bomb: an appended object stream inflating to 1 GiB (${Math.round(bomb.length / 1024)} KiB)`,
      appendUpdate(pdf, [{ number: trailerSize, body: stream('/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode', bomb) }]),
      verdict('malformed', 'pdf-structure'),
    ),
    file('ByteRange [0 0 0 0]', withByteRange(pdf, [0, 0, 0, 0]), verdict('tampered', 'byte-range')),
    file('ByteRange not starting at 0', withByteRange(pdf, [1, a - 1, b, c]), verdict('tampered', 'byte-range')),
    file('ByteRange overlapping /Contents', withByteRange(pdf, [0, a + 64, b, c]), verdict('tampered', 'byte-range')),
    file('ByteRange past the end of the file', withByteRange(pdf, [0, a, b, c + 4096]), verdict('tampered', 'whole-file')),
    file('ByteRange gap shifted off /Contents', withByteRange(pdf, [0, a - 2, b - 2, c + 2]), verdict('tampered', 'byte-range')),
    file('empty /Contents (all zeros)', withContents(pdf, Buffer.alloc(0)), verdict('malformed', 'cms-structure')),
    file('the CMS of another license', withContents(pdf, contentsOf(material.other)), verdict('tampered', 'message-digest')),
    file('one flipped byte in the page content', flipByte(pdf, offsetInFirstStream(pdf)), verdict('tampered', 'message-digest')),
    file('incremental update after signing: text changed', textChanged(pdf), verdict('tampered', 'whole-file')),
    file('incremental update after signing: page added', pageAdded(pdf), verdict('tampered', 'whole-file')),
    file('incremental update after signing: annotation added', annotationAdded(pdf), verdict('tampered', 'whole-file')),
    file('a second signature by another certificate', await secondSignature(pdf), verdict('tampered', 'single-signature')),
    file(
      're-signed by a self-signed look-alike of the department',
      await resign(pdf, selfSignedDepartmentSigner(department, now)),
      verdict('untrusted-signer', 'certificate-chain'),
    ),
    file(
      're-signed under a look-alike of the root CA (same name, other key)',
      await resign(pdf, lookAlikeRootSigner(keys, department, now)),
      verdict('untrusted-signer', 'certificate-chain'),
    ),
    file(
      're-signed with an expired department certificate of the genuine root',
      await resign(pdf, expiredDepartmentSigner(keys, department, now)),
      verdict('untrusted-signer', 'certificate-validity'),
    ),
    file(
      're-signed by the genuine key with SHA-1 digests',
      withContents(pdf, sha1DetachedCms(signedBytes(pdf), keys.department.privateKey, keys.department.chain)),
      verdict('tampered', 'digest-algorithm'),
    ),
    file('message-digest mismatch (genuine key, digest of other content)', await digestMismatch(material), verdict('tampered', 'message-digest')),
    file('a revoked license', material.revoked, verdict('revoked')),
    file('a superseded license', material.superseded, verdict('superseded')),
    ...HOSTILE_PDFS.map(([name, make, check]) => file(`exhausting: ${name}`, make(), verdict(resultOfFailedCheck(check), check))),
    {
      name: "the genuine license checked against another holder's fields",
      fields: { identifier: genuine.identifier, holderName: '王五', holderId: '440524188001010014' },
      expected: { kind: 'fields', result: 'inconsistent' },
    },
  ];
}
