import fc from 'fast-check';
import { isValidCreditCode, parseCreditCode } from '../../../src/modules/identity/index.js';
import { validCreditCode } from './support/arbitraries.js';
import { propertySeed } from './support/property-seed.js';
import { CREDIT_SET } from './support/reference.js';

/*
 * MOD 31-3 gives position i (0-based, the check being 17) the weight
 * 3^i mod 31 for the first 17 and 1 for the check: never 0 mod the prime 31.
 * A substitution within the 31-character set changes the sum by
 * (new − old)·w with new − old in 1..30, so it is always detected.
 * Neighbouring weights differ by a factor of 3 (and 28 ≠ 1 at the check), so
 * adjacent transpositions are always detected too.
 */

const NUM_RUNS = 100_000;
const seed = propertySeed('credit-code');

describe('unified social credit code properties', () => {
  test('every generated valid code is accepted, also in lower case', () => {
    fc.assert(
      fc.property(validCreditCode(), (code) => {
        return parseCreditCode(code).value === code && parseCreditCode(code.toLowerCase()).value === code;
      }),
      { numRuns: NUM_RUNS, seed },
    );
  });

  test('every single-character substitution is rejected', () => {
    fc.assert(
      fc.property(validCreditCode(), fc.nat(17), fc.integer({ min: 1, max: 30 }), (code, position, shift) => {
        const replacement = CREDIT_SET[(CREDIT_SET.indexOf(code[position]!) + shift) % 31]!;
        const altered = code.slice(0, position) + replacement + code.slice(position + 1);
        return altered !== code && !isValidCreditCode(altered);
      }),
      { numRuns: NUM_RUNS, seed },
    );
  });

  test('every single-character substitution is still caught in lenient mode, as a warning', () => {
    fc.assert(
      fc.property(validCreditCode(), fc.nat(17), fc.integer({ min: 1, max: 30 }), (code, position, shift) => {
        const replacement = CREDIT_SET[(CREDIT_SET.indexOf(code[position]!) + shift) % 31]!;
        const altered = code.slice(0, position) + replacement + code.slice(position + 1);
        return parseCreditCode(altered, { lenient: true }).warnings.length > 0;
      }),
      { numRuns: NUM_RUNS, seed },
    );
  });

  test('every adjacent transposition of two different characters is rejected', () => {
    fc.assert(
      fc.property(validCreditCode(), fc.nat(16), (code, position) => {
        fc.pre(code[position] !== code[position + 1]);
        const swapped = code.slice(0, position) + code[position + 1]! + code[position]! + code.slice(position + 2);
        return !isValidCreditCode(swapped);
      }),
      { numRuns: NUM_RUNS, seed },
    );
  });
});
