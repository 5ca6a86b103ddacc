import { BATCH_MAX_BYTES } from './batch-columns';

/** A file too large, of another kind, or unreadable: said in Chinese. */
export class BatchFileError extends Error {}

async function readCsv(file: File): Promise<unknown[][]> {
  const { default: Papa } = await import('papaparse');
  const text = (await file.text()).replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' });
  const fatal = parsed.errors.find((error) => error.type === 'Quotes');
  if (fatal) throw new BatchFileError(`CSV 文件第 ${(fatal.row ?? 0) + 1} 行的引号不成对，请检查后重新保存。`);
  return parsed.data;
}

async function readXlsx(file: File): Promise<unknown[][]> {
  // exceljs is large: loaded only when a spreadsheet is read, into a chunk of its own.
  const loaded = await import('exceljs');
  const { Workbook } = (loaded as unknown as { default?: typeof loaded }).default ?? loaded;
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(await file.arrayBuffer());
  } catch {
    throw new BatchFileError('无法读取这个 Excel 文件。请确认是 .xlsx 格式（不是 .xls），或另存为 CSV 后上传。');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new BatchFileError('Excel 文件中没有工作表。');
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, number) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    rows[number - 1] = values;
  });
  return Array.from(rows, (row) => row ?? []);
}

/** The cells of a CSV (UTF-8) or .xlsx file (its first sheet), row by row; refused above the size limit before reading. */
export async function readTable(file: File): Promise<unknown[][]> {
  if (file.size > BATCH_MAX_BYTES) throw new BatchFileError(`文件有 ${(file.size / 1024 / 1024).toFixed(1)} MB，每个文件最多 2 MB。请拆分后分批上传。`);
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv')) return readCsv(file);
  if (name.endsWith('.xlsx')) return readXlsx(file);
  throw new BatchFileError('只能上传 .csv 或 .xlsx 文件。');
}
