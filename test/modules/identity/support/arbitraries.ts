import fc from 'fast-check';
import { AUTHORITY_TYPE_PAIRS, CREDIT_SET, PROVINCES, referenceCitizenCheck, referenceCreditCheck, referenceOrganizationCheck } from './reference.js';

const DAY_MS = 86_400_000;

/** Valid 18-character citizen ID numbers born from 1800-01-01 up to `latestBirthDate` (YYYY-MM-DD). */
export function validCitizenId(latestBirthDate: string): fc.Arbitrary<string> {
  return fc
    .record({
      province: fc.constantFrom(...PROVINCES),
      rest: fc.integer({ min: 0, max: 9999 }),
      day: fc.integer({ min: Date.UTC(1800, 0, 1) / DAY_MS, max: Date.parse(`${latestBirthDate}T00:00:00Z`) / DAY_MS }),
      sequence: fc.integer({ min: 0, max: 999 }),
    })
    .map(({ province, rest, day, sequence }) => {
      const birth = new Date(day * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '');
      const first17 = `${province}${String(rest).padStart(4, '0')}${birth}${String(sequence).padStart(3, '0')}`;
      return first17 + referenceCitizenCheck(first17);
    });
}

const creditChar = fc.constantFrom(...CREDIT_SET);

/** Valid unified social credit codes: table authority/type, valid division, organisation code and check. */
export function validCreditCode(): fc.Arbitrary<string> {
  return fc
    .record({
      pair: fc.constantFrom(...AUTHORITY_TYPE_PAIRS),
      division: fc.oneof(
        { weight: 9, arbitrary: fc.tuple(fc.constantFrom(...PROVINCES), fc.integer({ min: 0, max: 9999 })).map(([p, n]) => `${p}${String(n).padStart(4, '0')}`) },
        { weight: 1, arbitrary: fc.constant('100000') },
      ),
      body: fc.array(creditChar, { minLength: 8, maxLength: 8 }).map((chars) => chars.join('')),
    })
    .map(({ pair, division, body }) => {
      const first17 = `${pair}${division}${body}${referenceOrganizationCheck(body)}`;
      return first17 + referenceCreditCheck(first17);
    });
}
