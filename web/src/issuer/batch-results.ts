import type { RowResult } from './batch-run';
import type { CatalogueEntry } from './catalogue';
import { columnsOf } from './batch-columns';

function csvCell(text: string): string {
  // A leading = + - @ would make a spreadsheet run the cell as a formula.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Rows as CSV text, UTF-8 with a byte order mark so that Excel opens the Chinese right. */
export function csvText(rows: readonly (readonly string[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** The type's template file: one header row of Chinese labels. */
export function templateCsv(entry: CatalogueEntry): string {
  return csvText([columnsOf(entry).map((column) => column.label)]);
}

/** One line per row of the file: its line number, holder, result, and the license or the reason. */
export function resultsCsv(entry: CatalogueEntry, results: readonly RowResult[]): string {
  const [holderNumber, holderName] = columnsOf(entry).map((column) => column.label);
  return csvText([
    ['行号', holderNumber ?? '证件号码', holderName ?? '名称', '结果', '电子证照标识', '证照编号', '失败原因'],
    ...results.map((r) => [String(r.line), r.holderId, r.holderName, r.ok ? '成功' : '失败', r.ok ? r.identifier : '', r.ok ? r.licenseNumber : '', r.ok ? '' : r.error]),
  ]);
}
