/**
 * `npx tsx test/bench/pdf-bytes.ts`: the PDF byte library's timings, which
 * the unit tests no longer bound: the placeholder fill-in path on an 80 KB
 * file (with the locator as a check, and without it), the signature scan of
 * that file, and the scan of hostile inputs that the limits stop.
 */
import { cpus } from 'node:os';
import { deflateSync } from 'node:zlib';
import { fillByteRange, fillSignature, locateSignaturePlaceholder, scanPdfSignatures, signedRanges, type PreparedPdf } from '../../src/lib/pdf-bytes/index.js';
import { makePreparedPdf, pseudoRandomBytes } from '../fixtures/pdfs.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const MIB = 1024 * 1024;

const bytesOf = (...parts: (string | Uint8Array)[]): Uint8Array =>
  new Uint8Array(Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part)))));

/** Median milliseconds of `runs` runs of `work`. */
function median(runs: number, work: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    work();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[runs >> 1]!;
}

function fillIn(prepared: PreparedPdf, cms: Uint8Array, check: boolean): Uint8Array {
  if (check) locateSignaturePlaceholder(prepared.pdf);
  const pdf = fillByteRange(prepared.pdf, prepared.placeholder);
  signedRanges(pdf, prepared.placeholder);
  return fillSignature(pdf, prepared.placeholder, cms);
}

/** Twenty object streams, each 10 MiB of zeros deflated. */
function zipBombs(): Uint8Array {
  const bomb = deflateSync(Buffer.alloc(10 * MIB));
  const objects = Array.from({ length: 20 }, (_, i) =>
    bytesOf(`${i + 1} 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`, bomb, '\nendstream\nendobj\n'),
  );
  return bytesOf('%PDF-1.7\n', ...objects);
}

const HOSTILE: readonly [label: string, make: () => Uint8Array][] = [
  ['10 MiB of random bytes after a PDF header', () => bytesOf('%PDF-1.7\n', pseudoRandomBytes(10 * MIB, 11))],
  ['twenty 10 MiB zip bombs (64 MiB inflate limit)', zipBombs],
  ['1,000,000 overlapping unterminated strings (byte limit)', () => bytesOf('%PDF-1.7\n', '1 0 obj ('.repeat(1_000_000))],
  ['300,000 streams without endstream', () => bytesOf('%PDF-1.7\n', '1 0 obj<</N 1/First 9>>stream\n'.repeat(300_000))],
  ['10 MiB of signature dictionaries', () => bytesOf('%PDF-1.7\n', '1 0 obj\n<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>\nendobj\n'.repeat(163_840))],
  ['9 MiB of objects that do not parse, one syntax error each (10,000 notes limit)', () => bytesOf('%PDF-1.7\n', '1 0 obj )'.repeat(1_000_000))],
];

async function main(): Promise<void> {
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  out(`pdf-bytes benchmark: ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, node ${process.version}, median of ${RUNS} runs`);
  // About 80 KB once prepared: 46 KB of incompressible attachment, 32 KB of /Contents placeholder.
  const prepared = await makePreparedPdf({ padding: 46_000 });
  const cms = pseudoRandomBytes(6000);
  out(`fill-in path, ${prepared.pdf.length}-byte file, offsets from the renderer: ${(median(RUNS, () => fillIn(prepared, cms, false)) * 1000).toFixed(0)} µs`);
  out(`fill-in path with the locator as a check: ${(median(RUNS, () => fillIn(prepared, cms, true)) * 1000).toFixed(0)} µs`);
  const signed = fillIn(prepared, cms, false);
  out(`signature scan of the filled file: ${(median(RUNS, () => scanPdfSignatures(signed)) * 1000).toFixed(0)} µs`);
  for (const [label, make] of HOSTILE) {
    const input = make();
    const t0 = performance.now();
    const result = scanPdfSignatures(input);
    out(`hostile: ${label}: ${(performance.now() - t0).toFixed(0)} ms (${result.ok ? `ok, ${result.notes.length} notes` : result.reason})`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
