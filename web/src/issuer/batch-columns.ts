import type { CatalogueEntry } from './catalogue';
import { holderLabels } from './catalogue';
import type { ErrorPlace, IssueInput } from './issue-rules';

/** Most data rows one file may hold, and its largest size: said on the page, checked before reading. */
export const BATCH_MAX_ROWS = 1000;
export const BATCH_MAX_BYTES = 2 * 1024 * 1024;

/** One column of a batch file: where its values go, and the headers it is known by (the Chinese label first). */
interface Column {
  readonly place: ErrorPlace;
  readonly headers: readonly string[];
  readonly label: string;
}

/** The columns of a license type's batch file, in the template file's order. */
export function columnsOf(entry: CatalogueEntry): readonly Column[] {
  const labels = holderLabels(entry.holderType);
  const columns: Column[] = [
    { place: 'holder.id', label: labels.number, headers: [labels.number, '证件号码', 'holder.id', 'holderId'] },
    { place: 'holder.name', label: labels.name, headers: [labels.name, '持证主体名称', 'holder.name', 'holderName'] },
    ...entry.fields.map((field) => ({ place: `fields.${field.key}`, label: field.label, headers: [field.label, field.key] })),
    { place: 'validFrom', label: '有效期自', headers: ['有效期自', 'validFrom'] },
  ];
  if (entry.validity.kind !== 'permanent') columns.push({ place: 'validUntil', label: '有效期至', headers: ['有效期至', 'validUntil'] });
  return columns;
}

/** A label for a place an error is shown at, for a result row. */
export function labelOf(entry: CatalogueEntry, place: ErrorPlace): string {
  return columnsOf(entry).find((column) => column.place === place)?.label ?? place;
}

/** YYYY/M/D, YYYY.M.D and YYYY年M月D日 (as spreadsheets write dates) as YYYY-MM-DD; anything else as it is, for the rules to judge. */
function dateText(text: string): string {
  const match = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text);
  return match ? `${match[1]}-${match[2]?.padStart(2, '0')}-${match[3]?.padStart(2, '0')}` : text;
}

/** A cell as text: spreadsheet dates (midnight UTC) as YYYY-MM-DD, numbers as written. */
function cellText(cell: unknown): string {
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  if (cell === null || cell === undefined) return '';
  // exceljs gives rich text and hyperlinks as { text }, formulas as { result }.
  if (typeof cell === 'object' && 'text' in cell) return cellText(cell.text);
  if (typeof cell === 'object' && 'result' in cell) return cellText(cell.result);
  if (typeof cell === 'string') return cell.trim();
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  return '';
}

export interface BatchRow {
  /** The row's line in the file (the header is line 1). */
  readonly line: number;
  readonly input: IssueInput;
}

/**
 * The file's rows as issuance inputs, columns found by their header (the
 * Chinese label or the field key); or why the file cannot be read.
 */
export function rowsOf(entry: CatalogueEntry, table: readonly (readonly unknown[])[]): { readonly rows: readonly BatchRow[] } | { readonly problem: string } {
  const [header, ...body] = table;
  if (!header) return { problem: '文件是空的。请先下载模板，填写后再上传。' };
  const columns = columnsOf(entry);
  const headers = header.map(cellText);
  const unknown = headers.filter((text) => text !== '' && !columns.some((column) => column.headers.includes(text)));
  if (unknown.length > 0) return { problem: `第 1 行有模板中没有的列：${unknown.join('、')}。请使用本证照类型的模板。` };
  const missing = columns.filter((column) => ['holder.id', 'holder.name'].includes(column.place) && !headers.some((text) => column.headers.includes(text)));
  if (missing.length > 0) return { problem: `缺少必需的列：${missing.map((column) => column.label).join('、')}。请使用本证照类型的模板。` };
  const filled = body.map((cells, index) => ({ cells: cells.map(cellText), line: index + 2 })).filter((row) => row.cells.some((text) => text !== ''));
  if (filled.length === 0) return { problem: '文件中没有数据行。请在模板第 2 行起每行填写一张证照。' };
  if (filled.length > BATCH_MAX_ROWS) return { problem: `文件有 ${filled.length} 行数据，每个文件最多 ${BATCH_MAX_ROWS} 行。请拆分后分批上传。` };
  const rows = filled.map(({ cells, line }) => {
    const valueOf = (place: string) => {
      const at = headers.findIndex((text) => columns.find((column) => column.place === place)?.headers.includes(text));
      return at < 0 ? '' : (cells[at] ?? '');
    };
    const fields: Record<string, string | number> = {};
    for (const field of entry.fields) {
      const text = valueOf(`fields.${field.key}`);
      fields[field.key] = field.type === 'date' ? dateText(text) : field.type === 'number' && text !== '' && !Number.isNaN(Number(text)) ? Number(text) : text;
    }
    const validFrom = dateText(valueOf('validFrom'));
    const validUntil = dateText(valueOf('validUntil'));
    return { line, input: { holderId: valueOf('holder.id'), holderName: valueOf('holder.name'), fields, validFrom: validFrom || undefined, validUntil: validUntil || undefined } };
  });
  return { rows };
}
