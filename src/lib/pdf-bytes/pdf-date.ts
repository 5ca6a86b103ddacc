/**
 * `D:YYYYMMDDHHmmSSOHH'mm'` (ISO 32000-1, 7.9.4): everything after the year is
 * optional, O is `Z`, `+` or `-`, the apostrophes are optional (a trailing one
 * is often missing) and `Z` may be followed by `00'00'`. The `D:` prefix is
 * optional too, as some producers omit it.
 */
const PDF_DATE = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(?:(\d{2})'?(?:(\d{2})'?)?)?)?$/;

/**
 * A PDF date as an ISO 8601 instant (`2026-11-21T00:30:00.000Z`), or null when
 * it is not a valid date. Without a time zone the time is taken as UTC.
 */
export function parsePdfDate(value: string): string | null {
  const match = PDF_DATE.exec(value);
  if (!match) return null;
  const [, year, month = '01', day = '01', hour = '00', minute = '00', second = '00', zone, zoneHour, zoneMinute] = match;
  const numbers = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
  const [y, mo, d, h, mi, s] = numbers;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;

  let offsetMinutes = 0;
  if (zone === '+' || zone === '-') {
    if (zoneHour === undefined) return null;
    const zh = Number(zoneHour);
    const zm = zoneMinute === undefined ? 0 : Number(zoneMinute);
    if (zh > 23 || zm > 59) return null;
    offsetMinutes = (zone === '+' ? 1 : -1) * (zh * 60 + zm);
  } else if (zone !== undefined && ((zoneHour !== undefined && Number(zoneHour) !== 0) || (zoneMinute !== undefined && Number(zoneMinute) !== 0))) {
    return null;
  }

  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  // 31 February and the like roll over into the next month: not a date.
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return new Date(date.getTime() - offsetMinutes * 60_000).toISOString();
}
