const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The calendar date (`YYYY-MM-DD`) in China (UTC+8, no daylight saving) at `instant`. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whether the proleptic Gregorian date exists (month 1-12, day within the month, leap years). */
export function isExistingDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}
