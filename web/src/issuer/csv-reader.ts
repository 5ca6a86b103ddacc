import Papa from 'papaparse';
import { BatchFileError } from './batch-file-error';

/** The cells of a UTF-8 CSV file (a byte order mark is dropped), row by row. */
export async function readCsv(file: File): Promise<unknown[][]> {
  const text = (await file.text()).replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' });
  const fatal = parsed.errors.find((error) => error.type === 'Quotes');
  if (fatal) throw new BatchFileError(`CSV 文件第 ${(fatal.row ?? 0) + 1} 行的引号不成对，请检查后重新保存。`);
  return parsed.data;
}
