import { LicenseError } from '../../shared/errors.js';
import type { ValidityRule } from '../templates/index.js';
import { isIsoDate } from '../templates/index.js';

/** The calendar date in China (UTC+8) of an instant, YYYY-MM-DD. */
export function chinaToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function addYearsMinusOneDay(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(y + years, m - 1, d));
  end.setUTCDate(end.getUTCDate() - 1);
  return end.toISOString().slice(0, 10);
}

/**
 * The validity period of a new license: from the given date (or today in
 * China) until the date the type's rule gives. A fixed term ends the day
 * before its anniversary; `until-date` needs `validUntil`; 长期 has none.
 */
export function validityFor(
  rule: ValidityRule,
  requested: { readonly validFrom?: string | undefined; readonly validUntil?: string | undefined },
  now: Date,
): { validFrom: string; validUntil: string | null } {
  const invalid = (message: string) => new LicenseError('ERR_VALIDITY_INVALID', message);
  const validFrom = requested.validFrom ?? chinaToday(now);
  if (!isIsoDate(validFrom)) throw invalid('validFrom must be a date written YYYY-MM-DD');
  const given = requested.validUntil;
  if (given !== undefined && !isIsoDate(given)) throw invalid('validUntil must be a date written YYYY-MM-DD');
  switch (rule.kind) {
    case 'permanent':
      if (given !== undefined) throw invalid('this license type is valid without end (长期): leave validUntil out');
      return { validFrom, validUntil: null };
    case 'fixed-term': {
      const validUntil = given ?? addYearsMinusOneDay(validFrom, rule.years);
      if (validUntil < validFrom || validUntil > addYearsMinusOneDay(validFrom, rule.years)) throw invalid(`validUntil must fall within ${rule.years} years of validFrom`);
      return { validFrom, validUntil };
    }
    case 'until-date':
      if (given === undefined) throw invalid('this license type needs validUntil');
      if (given < validFrom) throw invalid('validUntil must not be before validFrom');
      return { validFrom, validUntil: given };
  }
}
