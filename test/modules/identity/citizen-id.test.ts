import { fixedClock } from '../../../src/shared/clock.js';
import type { Clock } from '../../../src/shared/clock.js';
import { IdentityError } from '../../../src/shared/errors.js';
import { citizenIdCheckChar, isValidCitizenId, parseCitizenId } from '../../../src/modules/identity/index.js';
import { expectIdentityError } from './support/expect-code.js';
import { referenceCitizenCheck } from './support/reference.js';

const clock = fixedClock('2026-11-21T12:00:00+08:00');

/** Completes 17 digits with their check character. */
function withCheck(first17: string): string {
  return first17 + citizenIdCheckChar(first17);
}

describe('parseCitizenId: known answers', () => {
  test('11010519491231002X is valid', () => {
    expect(parseCitizenId('11010519491231002X', clock)).toEqual({
      value: '11010519491231002X',
      divisionCode: '110105',
      birthDate: '1949-12-31',
      sequence: '002',
      sex: 'female',
      legacy15: false,
    });
  });

  test('440524188001010014 is valid (born 1880, male)', () => {
    expect(parseCitizenId('440524188001010014', clock)).toMatchObject({
      value: '440524188001010014',
      divisionCode: '440524',
      birthDate: '1880-01-01',
      sequence: '001',
      sex: 'male',
    });
  });

  test('a lower-case final x is upper-cased', () => {
    expect(parseCitizenId('11010519491231002x', clock).value).toBe('11010519491231002X');
  });

  test('ASCII whitespace at both ends is trimmed', () => {
    expect(parseCitizenId(' \t11010519491231002X\r\n ', clock).value).toBe('11010519491231002X');
  });

  test('legacy 15-digit 110105491231002 converts to 11010519491231002X', () => {
    expect(parseCitizenId('110105491231002', clock)).toEqual({
      value: '11010519491231002X',
      divisionCode: '110105',
      birthDate: '1949-12-31',
      sequence: '002',
      sex: 'female',
      legacy15: true,
    });
  });

  test('83 (residence permit of Taiwan residents) is a valid province code', () => {
    expect(isValidCitizenId(withCheck('83000019900101001'), clock)).toBe(true);
  });
});

describe('parseCitizenId: ERR_CITIZEN_ID_NOT_STRING', () => {
  test.each([
    ['an object', {}],
    ['an array', []],
    ['an array holding the number', ['11010519491231002X']],
    ['a number', 123],
    ['a large number', 110105194912310020],
    ['null', null],
    ['undefined', undefined],
    ['a String object', new String('11010519491231002X')],
  ])('%s', (_label, input) => {
    expectIdentityError(() => parseCitizenId(input, clock), 'ERR_CITIZEN_ID_NOT_STRING');
  });
});

describe('parseCitizenId: ERR_CITIZEN_ID_CHARSET', () => {
  test.each([
    ['full-width digits', '１１0105１9491231002X'],
    ['a full-width final X', '11010519491231002Ｘ'],
    ['an inner space', '110105 19491231002X'],
    ['a zero-width space U+200B', '110105\u200B19491231002X'],
    ['a zero-width non-joiner U+200C', '11010519491231002\u200CX'],
    ['a zero-width joiner U+200D', '\u200D11010519491231002X'],
    ['a byte-order mark U+FEFF at the start (String#trim would drop it)', '\uFEFF11010519491231002X'],
    ['a no-break space at the end', '11010519491231002X\u00A0'],
    ['an ideographic space U+3000 at the end', '11010519491231002X\u3000'],
    ['an X before the last position', '1101051949123100X2'],
    ['another letter', '11010519491231002A'],
    ['a hyphen', '110105-19491231002X'],
    ['a legacy 15-character number ending in X', '11010549123100X'],
  ])('%s', (_label, input) => {
    expectIdentityError(() => parseCitizenId(input, clock), 'ERR_CITIZEN_ID_CHARSET');
  });
});

describe('parseCitizenId: ERR_CITIZEN_ID_LENGTH', () => {
  test.each([
    ['empty', ''],
    ['only whitespace', ' \t '],
    ['14 digits', '11010549123100'],
    ['16 digits', '1101051949123100'],
    ['17 digits', '11010519491231002'],
    ['17 digits and X', '1101051949123100X'],
    ['19 digits', '1101051949123100200'],
    ['a lone X', 'X'],
  ])('%s', (_label, input) => {
    expectIdentityError(() => parseCitizenId(input, clock), 'ERR_CITIZEN_ID_LENGTH');
  });
});

describe('parseCitizenId: ERR_CITIZEN_ID_DIVISION', () => {
  test.each(['99', '00', '10', '16', '20', '30', '38', '47', '55', '60', '66', '70', '72', '80', '84', '90'])('province %s', (province) => {
    expectIdentityError(() => parseCitizenId(withCheck(`${province}010519491231002`), clock), 'ERR_CITIZEN_ID_DIVISION');
  });

  test('a legacy number is held to the division rule too', () => {
    expectIdentityError(() => parseCitizenId('990105491231002', clock), 'ERR_CITIZEN_ID_DIVISION');
  });
});

describe('parseCitizenId: ERR_CITIZEN_ID_BIRTH_DATE', () => {
  test.each([
    ['29 February of a non-leap year', '19230229'],
    ['29 February of a century non-leap year', '19000229'],
    ['30 February', '20000230'],
    ['31 April', '19900431'],
    ['month 00', '19900001'],
    ['month 13', '19901301'],
    ['day 00', '19900100'],
    ['day 32', '19900132'],
    ['before 1800', '17991231'],
    ['year 0000', '00000101'],
    ['far future', '99991231'],
  ])('%s', (_label, date) => {
    expectIdentityError(() => parseCitizenId(withCheck(`110105${date}002`), clock), 'ERR_CITIZEN_ID_BIRTH_DATE');
  });

  test.each([
    ['29 February of a leap year', '19240229'],
    ['29 February of a 400-year leap year', '20000229'],
    ['1 January 1800', '18000101'],
  ])('%s is accepted', (_label, date) => {
    expect(isValidCitizenId(withCheck(`110105${date}002`), clock)).toBe(true);
  });

  test('a legacy 15-digit number with 29 February 1900 (not a leap year) is rejected', () => {
    expectIdentityError(() => parseCitizenId('110105000229002', clock), 'ERR_CITIZEN_ID_BIRTH_DATE');
  });

  describe('"today" is the date in China (UTC+8)', () => {
    const bornToday = withCheck('11010520261121002');
    const bornTomorrow = withCheck('11010520261122002');

    test.each([
      ['00:00 China time (still the 20th in UTC)', '2026-11-20T16:00:00Z'],
      ['23:59:59.999 China time', '2026-11-21T15:59:59.999Z'],
    ])('at %s, born today is accepted and born tomorrow rejected', (_label, instant) => {
      const at: Clock = fixedClock(instant);
      expect(parseCitizenId(bornToday, at).birthDate).toBe('2026-11-21');
      expectIdentityError(() => parseCitizenId(bornTomorrow, at), 'ERR_CITIZEN_ID_BIRTH_DATE');
    });

    test('one millisecond before midnight China time, born today (China) is still in the future', () => {
      expectIdentityError(() => parseCitizenId(bornToday, fixedClock('2026-11-20T15:59:59.999Z')), 'ERR_CITIZEN_ID_BIRTH_DATE');
    });

    test('from midnight China time the next day is accepted', () => {
      expect(isValidCitizenId(bornTomorrow, fixedClock('2026-11-21T16:00:00Z'))).toBe(true);
    });
  });
});

describe('parseCitizenId: ERR_CITIZEN_ID_CHECKSUM', () => {
  test.each(['110105194912310020', '110105194912310021', '110105194912310029', '440524188001010015', '44052418800101001X'])('%s', (input) => {
    expectIdentityError(() => parseCitizenId(input, clock), 'ERR_CITIZEN_ID_CHECKSUM');
  });
});

describe('error messages', () => {
  // No run of 6 digits: neither the input nor any part of it that could identify a person.
  const NO_NUMBER = /^(?![\s\S]*[0-9]{6})/;

  test.each(['1101051949123100', '110105 19491231002X', '990105194912310027', '110105202712310026', '110105194912310021'])('never contain the number: %s', (input) => {
    expect(() => parseCitizenId(input, clock)).toThrow(NO_NUMBER);
  });
});

describe('isValidCitizenId', () => {
  test('true for valid, false for any identity rejection', () => {
    expect(isValidCitizenId('11010519491231002X', clock)).toBe(true);
    expect(isValidCitizenId('11010519491231002', clock)).toBe(false);
    expect(isValidCitizenId(null, clock)).toBe(false);
  });

  test('lets errors that are not identity rejections through', () => {
    const broken: Clock = { now: () => new Date(Number.NaN) };
    expect(() => isValidCitizenId('11010519491231002X', broken)).toThrow(RangeError);
    expect(() => isValidCitizenId('11010519491231002X', broken)).not.toThrow(IdentityError);
  });
});

describe('citizenIdCheckChar', () => {
  test.each([
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
    ['11010519491231001', '1'],
  ])('%s → %s', (first17, check) => {
    expect(citizenIdCheckChar(first17)).toBe(check);
    expect(referenceCitizenCheck(first17)).toBe(check);
  });

  test('produces every possible check character', () => {
    const seen = new Set<string>();
    for (let n = 0; n < 100; n += 1) seen.add(citizenIdCheckChar(`110105194912310${String(n).padStart(2, '0')}`));
    expect([...seen].sort().join('')).toBe('0123456789X');
  });

  test('rejects input that is not 17 ASCII digits', () => {
    expectIdentityError(() => citizenIdCheckChar('1101051949123100'), 'ERR_CITIZEN_ID_LENGTH');
    expectIdentityError(() => citizenIdCheckChar('1101051949123100A'), 'ERR_CITIZEN_ID_CHARSET');
  });
});
