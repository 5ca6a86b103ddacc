import { createReadStream, readFileSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { loadTemplateDirectory } from '../adapters/templates/template-directory.js';
import { openStore } from '../composition/open-store.js';
import { loadConfig } from '../config/index.js';
import { LicenseImport, type ImportItem, type ImportItemOutcome, type ImportMode } from '../modules/licenses/index.js';
import { systemClock } from '../shared/clock.js';
import { UsageError, type CommandIo } from './usage-error.js';

export const IMPORT_USAGE = `license-vault import RECORDS.jsonl [--files DIR] [--lenient] [--batch N] [--report FILE]
    存量入库: one JSON record per line, each naming its file (relative to --files, default the
    records' folder) and the file's sha256. Strict by default: a record whose file does not match
    is refused; --lenient takes it in suspended, flagged for review. Exit 0 if nothing was refused.`;

/** How many records are listed in the summary; --report has them all. */
const LISTED = 20;

interface Totals {
  imported: number;
  flagged: number;
  skipped: number;
  rejected: number;
}

/** `license-vault import …`: bulk import of historical licenses with their files, with a progress bar and a summary. */
export async function runImportCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { files: { type: 'string' }, lenient: { type: 'boolean', default: false }, batch: { type: 'string', default: '1000' }, report: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [recordsFile, ...extra] = positionals;
  if (recordsFile === undefined || extra.length > 0) throw new UsageError('import needs exactly one records file');
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new UsageError('--batch must be a whole number from 1 to 10000');
  const filesDir = resolve(values.files ?? dirname(resolve(recordsFile)));
  const mode: ImportMode = values.lenient ? 'lenient' : 'strict';

  const config = loadConfig(io.env);
  const knownTypes = new Set((await loadTemplateDirectory(config.templatesDir, systemClock)).latest().map((template) => template.catalogue.typeCode));
  const store = await openStore(config);
  const importer = new LicenseImport(store, systemClock);
  const totals: Totals = { imported: 0, flagged: 0, skipped: 0, rejected: 0 };
  const notable: ImportItemOutcome[] = [];
  const size = (await stat(recordsFile)).size;
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: 'import [{bar}] {percentage}% | {records} records | {rate}/s | flagged {flagged} | refused {rejected}', hideCursor: true })
    : null;
  const started = performance.now();
  let bytesRead = 0;
  let records = 0;
  bar?.start(size, 0, { records: 0, rate: 0, flagged: 0, rejected: 0 });

  const run = async (lines: readonly { line: number; text: string }[]): Promise<void> => {
    const items = lines.map((entry) => itemOf(entry, filesDir));
    for (const outcome of await importer.importBatch(items, { mode, actor: 'cli:import', isKnownLicenseType: (code) => knownTypes.has(code) })) {
      totals[outcome.outcome] += 1;
      if (outcome.outcome !== 'imported') notable.push(outcome);
    }
    records += lines.length;
    bar?.update(bytesRead, { records, rate: Math.round(records / ((performance.now() - started) / 1000)), flagged: totals.flagged, rejected: totals.rejected });
  };

  try {
    let batch: { line: number; text: string }[] = [];
    let line = 0;
    for await (const text of createInterface({ input: createReadStream(recordsFile), crlfDelay: Infinity })) {
      line += 1;
      bytesRead += Buffer.byteLength(text) + 1;
      if (text.trim() === '') continue;
      batch.push({ line, text });
      if (batch.length >= batchSize) {
        await run(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await run(batch);
  } finally {
    bar?.stop();
    await store.close();
  }

  const seconds = (performance.now() - started) / 1000;
  io.out(summary(totals, records, seconds, mode, notable));
  if (values.report !== undefined) await writeFile(values.report, notable.map((outcome) => JSON.stringify(outcome)).join('\n') + (notable.length > 0 ? '\n' : ''));
  return totals.rejected === 0 ? 0 : 1;
}

/** Files are read synchronously: for many small local files one blocking read each is several times faster than the promise API's four round trips. */
function itemOf(entry: { line: number; text: string }, filesDir: string): ImportItem {
  let record: unknown;
  try {
    record = JSON.parse(entry.text);
  } catch {
    return { line: entry.line, record: null, file: null, unreadable: 'not a JSON record' };
  }
  const file = typeof (record as { file?: unknown } | null)?.file === 'string' ? (record as { file: string }).file : null;
  let bytes: Uint8Array | null = null;
  try {
    if (file !== null) bytes = readFileSync(resolve(filesDir, file));
  } catch {
    bytes = null;
  }
  return { line: entry.line, record, file: bytes };
}

function summary(totals: Totals, records: number, seconds: number, mode: ImportMode, notable: readonly ImportItemOutcome[]): string {
  const lines = [
    `import (${mode}): ${records} records in ${seconds.toFixed(1)} s (${Math.round(records / Math.max(seconds, 1e-3))}/s)`,
    `  imported ${totals.imported}, flagged for review ${totals.flagged}, skipped ${totals.skipped}, refused ${totals.rejected}`,
  ];
  const list = (kind: ImportItemOutcome['outcome'], title: string) => {
    const selected = notable.filter((outcome) => outcome.outcome === kind);
    if (selected.length === 0) return;
    lines.push(`${title}:`);
    for (const outcome of selected.slice(0, LISTED)) {
      const why = outcome.outcome === 'flagged' ? outcome.flags.join(', ') : outcome.outcome === 'imported' ? '' : outcome.reason;
      lines.push(`  line ${outcome.line} ${outcome.identifier ?? '(no identifier)'}: ${why}`);
    }
    if (selected.length > LISTED) lines.push(`  … and ${selected.length - LISTED} more (--report FILE lists them all)`);
  };
  list('flagged', 'flagged (taken in suspended, for review)');
  list('rejected', 'refused');
  list('skipped', 'skipped');
  return `${lines.join('\n')}\n`;
}
