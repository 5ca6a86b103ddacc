import ExcelJS from 'exceljs';
import { BatchFileError } from './batch-file-error';

/** The cells of an .xlsx file's first sheet, row by row (dates as Date, formulas as their results). */
export async function readXlsx(file: File): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(await file.arrayBuffer());
  } catch {
    throw new BatchFileError('无法读取这个 Excel 文件。请确认是 .xlsx 格式（不是 .xls），或另存为 CSV 后上传。');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new BatchFileError('Excel 文件中没有工作表。');
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, number) => {
    rows[number - 1] = Array.isArray(row.values) ? row.values.slice(1) : [];
  });
  return Array.from(rows, (row) => row ?? []);
}
