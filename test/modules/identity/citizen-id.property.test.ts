import fc from 'fast-check';
import { fixedClock } from '../../../src/shared/clock.js';
import { isValidCitizenId, parseCitizenId } from '../../../src/modules/identity/index.js';
import { validCitizenId } from './support/arbitraries.js';
import { propertySeed } from './support/property-seed.js';

/*
 * MOD 11-2 gives position i (1-based, the check being 18) the weight
 * 2^(18−i) mod 11: never 0, and neighbours differ by a factor of 2. So
 *  - a substitution changes the sum by (new − old)·w, a product of two
 *    numbers that are non-zero mod the prime 11 (digits differ by 1..9, the
 *    check's values by 1..10): always detected;
 *  - an adjacent transposition of a ≠ b changes it by (a − b)(wᵢ − wᵢ₊₁) =
 *    (a − b)·wᵢ₊₁, again non-zero mod 11: always detected (an X moved off
 *    the last position is a charset error anyway).
 * A change may also be caught first by the division or birth-date rules;
 * any rejection counts.
 */

const TODAY = '2026-11-21';
const clock = fixedClock(`${TODAY}T12:00:00+08:00`);
const NUM_RUNS = 100_000;
const seed = propertySeed('citizen-id');
const DIGITS = '0123456789';
const LAST = '0123456789X';

/** A position and a non-zero shift within that position's alphabet (digits, or digits + X for the check). */
const positionAndShift = fc.nat(17).chain((position) => fc.tuple(fc.constant(position), fc.integer({ min: 1, max: (position === 17 ? LAST : DIGITS).length - 1 })));

describe('citizen ID number properties', () => {
  test('every generated valid number is accepted', () => {
    fc.assert(
      fc.property(validCitizenId(TODAY), (id) => {
        const parsed = parseCitizenId(id, clock);
        return parsed.value === id && parsed.birthDate <= TODAY && parsed.legacy15 === false;
      }),
      { numRuns: NUM_RUNS, seed },
    );
  });

  test('every single-character substitution is rejected', () => {
    fc.assert(
      fc.property(validCitizenId(TODAY), positionAndShift, (id, [position, shift]) => {
        const alphabet = position === 17 ? LAST : DIGITS;
        const replacement = alphabet[(alphabet.indexOf(id[position]!) + shift) % alphabet.length]!;
        const altered = id.slice(0, position) + replacement + id.slice(position + 1);
        return altered !== id && !isValidCitizenId(altered, clock);
      }),
      { numRuns: NUM_RUNS, seed },
    );
  });

  test('every adjacent transposition of two different characters is rejected', () => {
    fc.assert(
      fc.property(validCitizenId(TODAY), fc.nat(16), (id, position) => {
        fc.pre(id[position] !== id[position + 1]);
        const swapped = id.slice(0, position) + id[position + 1]! + id[position]! + id.slice(position + 2);
        return !isValidCitizenId(swapped, clock);
      }),
      { numRuns: NUM_RUNS, seed },
    );
  });
});
