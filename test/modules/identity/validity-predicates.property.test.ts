import fc from 'fast-check';
import { isValidCitizenId, isValidCreditCode, parseCitizenId, parseCreditCode } from '../../../src/modules/identity/index.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { validCitizenId, validCreditCode } from './support/arbitraries.js';
import { propertySeed } from './support/property-seed.js';

const clock = fixedClock('2026-11-21T12:00:00+08:00');
const seed = propertySeed('validity-predicates');
const accepted = (parse: () => unknown): boolean => {
  try {
    parse();
    return true;
  } catch {
    return false;
  }
};
/** Valid numbers of both kinds, lightly damaged or padded, and strings in between. */
const valid = fc.oneof(validCitizenId('2026-11-21'), validCreditCode());
const candidates = fc.oneof(
  valid,
  fc.tuple(valid, fc.nat(17), fc.constantFrom(...'0123456789XxAY \t\f')).map(([id, at, c]) => id.slice(0, at) + c + id.slice(at + 1)),
  fc.tuple(fc.constantFrom('', ' ', '\t', '\f'), valid).map(([pad, id]) => `${pad}${id}${pad}`),
  fc.string({ unit: fc.constantFrom(...'0123456789XxABCY '), minLength: 14, maxLength: 19 }),
);

describe('isValid… predicates answer as the parsers do (they skip the thrown error, not a rule)', () => {
  test('citizen ID numbers', () => {
    fc.assert(
      fc.property(candidates, (id) => isValidCitizenId(id, clock) === accepted(() => parseCitizenId(id, clock))),
      { numRuns: 20_000, seed },
    );
  });
  test('credit codes', () => {
    fc.assert(
      fc.property(candidates, (id) => isValidCreditCode(id) === accepted(() => parseCreditCode(id))),
      { numRuns: 20_000, seed },
    );
  });
});
