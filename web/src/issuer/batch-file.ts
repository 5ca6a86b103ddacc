import { BATCH_MAX_BYTES } from './batch-columns';
import { BatchFileError } from './batch-file-error';

export { BatchFileError };

/**
 * The cells of a CSV (UTF-8) or .xlsx file (its first sheet), row by row;
 * refused above the size limit before reading. Each reader, with its package
 * (papaparse, exceljs), is a chunk loaded only when such a file is read.
 */
export async function readTable(file: File): Promise<unknown[][]> {
  if (file.size > BATCH_MAX_BYTES) throw new BatchFileError(`文件有 ${(file.size / 1024 / 1024).toFixed(1)} MB，每个文件最多 2 MB。请拆分后分批上传。`);
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv')) return (await import('./csv-reader')).readCsv(file);
  if (name.endsWith('.xlsx')) return (await import('./xlsx-reader')).readXlsx(file);
  throw new BatchFileError('只能上传 .csv 或 .xlsx 文件。');
}
