import { IdentityError } from '../../../src/shared/errors.js';
import { REGISTRATION_AUTHORITIES, creditCodeCheckChar, isValidCreditCode, organizationCodeCheckChar, parseCreditCode } from '../../../src/modules/identity/index.js';
import { expectIdentityError } from './support/expect-code.js';
import { AUTHORITY_TYPE_PAIRS, referenceCreditCheck, referenceOrganizationCheck } from './support/reference.js';

/** Completes 16 characters (positions 1-16) with a correct organisation check and final check. */
function complete(first16: string): string {
  const first17 = first16 + organizationCodeCheckChar(first16.slice(8, 16));
  return first17 + creditCodeCheckChar(first17);
}

/** Puts `first17` together with its correct final check only. */
function withFinalCheck(first17: string): string {
  return first17 + creditCodeCheckChar(first17);
}

describe('parseCreditCode: known answers', () => {
  test('91350100M000100Y43 is valid', () => {
    expect(parseCreditCode('91350100M000100Y43')).toEqual({
      value: '91350100M000100Y43',
      registrationAuthority: { code: '9', name: '工商' },
      organizationType: { code: '1', name: '企业' },
      divisionCode: '350100',
      organizationCode: 'M000100Y4',
      warnings: [],
    });
  });

  test('11100000000013338W (national-level body, division 100000) is valid', () => {
    // Organisation code body 00001333, weights 3 7 9 10 5 8 4 2: Σ = 1·5 + 3·8 + 3·4 + 3·2 = 47,
    // 47 mod 11 = 3, C = 11 − 3 = 8.
    expect(referenceOrganizationCheck('00001333')).toBe('8');
    expect(referenceCreditCheck('11100000000013338')).toBe('W');
    expect(parseCreditCode('11100000000013338W')).toMatchObject({
      registrationAuthority: { code: '1', name: '机构编制' },
      organizationType: { code: '1', name: '机关' },
      divisionCode: '100000',
      organizationCode: '000013338',
    });
  });

  test('lower case and surrounding ASCII whitespace are normalised', () => {
    expect(parseCreditCode('\t91350100m000100y43 \n').value).toBe('91350100M000100Y43');
  });

  test('every authority/type pair of the table is accepted', () => {
    for (const pair of AUTHORITY_TYPE_PAIRS) {
      expect(isValidCreditCode(complete(`${pair}350100M000100Y`))).toBe(true);
    }
  });

  test('the table holds exactly the researched authority/type pairs', () => {
    const pairs = Object.entries(REGISTRATION_AUTHORITIES).flatMap(([authority, { organizationTypes }]) => Object.keys(organizationTypes).map((type) => authority + type));
    expect(pairs.sort()).toEqual([...AUTHORITY_TYPE_PAIRS].sort());
  });
});

describe('parseCreditCode: ERR_CREDIT_CODE_NOT_STRING', () => {
  test.each([
    ['an object', {}],
    ['an array', []],
    ['a number', 123],
    ['null', null],
    ['undefined', undefined],
  ])('%s, strict and lenient', (_label, input) => {
    expectIdentityError(() => parseCreditCode(input), 'ERR_CREDIT_CODE_NOT_STRING');
    expectIdentityError(() => parseCreditCode(input, { lenient: true }), 'ERR_CREDIT_CODE_NOT_STRING');
  });
});

describe('parseCreditCode: ERR_CREDIT_CODE_LENGTH', () => {
  test.each([
    ['empty', ''],
    ['17 characters', '91350100M000100Y4'],
    ['19 characters', '91350100M000100Y430'],
  ])('%s, strict and lenient', (_label, input) => {
    expectIdentityError(() => parseCreditCode(input), 'ERR_CREDIT_CODE_LENGTH');
    expectIdentityError(() => parseCreditCode(input, { lenient: true }), 'ERR_CREDIT_CODE_LENGTH');
  });
});

describe('parseCreditCode: ERR_CREDIT_CODE_CHARSET', () => {
  test.each([
    ['I', '91350100M000100I43'],
    ['O', '91350100O000100Y43'],
    ['S', '91350100M000100S43'],
    ['V', '91350100M000100V43'],
    // Z is outside the 31-character set, so it can never be a check character: a charset error,
    // not a checksum mismatch.
    ['Z as the check character', '91350100M000100Y4Z'],
    ['lower-case z', '91350100m000100y4z'],
    ['an inner space', '91350100 M000100Y43'],
    ['a zero-width space', '91350100M000100Y4\u200B3'],
    ['a byte-order mark at the start', '\uFEFF91350100M000100Y43'],
    ['a full-width digit', '９1350100M000100Y43'],
    ['a hyphen', '913501-0M000100Y43'],
  ])('%s, strict and lenient', (_label, input) => {
    expectIdentityError(() => parseCreditCode(input), 'ERR_CREDIT_CODE_CHARSET');
    expectIdentityError(() => parseCreditCode(input, { lenient: true }), 'ERR_CREDIT_CODE_CHARSET');
  });
});

describe('parseCreditCode: ERR_CREDIT_CODE_AUTHORITY', () => {
  test.each(['0', 'B', 'C', 'M', 'X'])('authority %s', (authority) => {
    expectIdentityError(() => parseCreditCode(complete(`${authority}1350100M000100Y`)), 'ERR_CREDIT_CODE_AUTHORITY');
  });
});

describe('parseCreditCode: ERR_CREDIT_CODE_ORG_TYPE', () => {
  test.each(['94', '99', '90', '14', '22', '36', 'Y2', 'Y9', 'N4', 'A2', '5A'])('authority/type %s', (pair) => {
    expectIdentityError(() => parseCreditCode(complete(`${pair}350100M000100Y`)), 'ERR_CREDIT_CODE_ORG_TYPE');
  });
});

describe('parseCreditCode: ERR_CREDIT_CODE_DIVISION', () => {
  test.each([
    ['unknown province 99', '990100'],
    ['unknown province 00', '000000'],
    ['a national code other than 100000', '100001'],
    ['a letter', '35A100'],
  ])('%s', (_label, division) => {
    expectIdentityError(() => parseCreditCode(complete(`91${division}M000100Y`)), 'ERR_CREDIT_CODE_DIVISION');
  });

  test('83 and 100000 are accepted', () => {
    expect(isValidCreditCode(complete('91830000M000100Y'))).toBe(true);
    expect(isValidCreditCode(complete('91100000M000100Y'))).toBe(true);
  });
});

describe('parseCreditCode: ERR_CREDIT_CODE_ORG_CHECK', () => {
  test('a wrong organisation check character, with a matching final check', () => {
    expectIdentityError(() => parseCreditCode(withFinalCheck('91350100M000100Y5')), 'ERR_CREDIT_CODE_ORG_CHECK');
    expectIdentityError(() => parseCreditCode(withFinalCheck('91350100M000100YX')), 'ERR_CREDIT_CODE_ORG_CHECK');
  });
});

describe('parseCreditCode: ERR_CREDIT_CODE_CHECKSUM', () => {
  test.each(['91350100M000100Y44', '91350100M000100Y40', '11100000000013338X'])('%s', (input) => {
    expectIdentityError(() => parseCreditCode(input), 'ERR_CREDIT_CODE_CHECKSUM');
  });
});

describe('parseCreditCode: strict vs lenient', () => {
  // Unknown authority B, province 99, organisation check 5 instead of 4, and a wrong final check.
  const first17 = 'B1990100M000100Y5';
  const manyProblems = first17 + (creditCodeCheckChar(first17) === 'A' ? 'B' : 'A');

  test('strict mode throws the first problem', () => {
    expectIdentityError(() => parseCreditCode(manyProblems), 'ERR_CREDIT_CODE_AUTHORITY');
    expectIdentityError(() => parseCreditCode(complete('94990100M000100Y')), 'ERR_CREDIT_CODE_ORG_TYPE');
  });

  test('lenient mode collects authority, division, organisation check and checksum problems', () => {
    const parsed = parseCreditCode(manyProblems, { lenient: true });
    expect(parsed.warnings.map((warning) => warning.code)).toEqual([
      'ERR_CREDIT_CODE_AUTHORITY',
      'ERR_CREDIT_CODE_DIVISION',
      'ERR_CREDIT_CODE_ORG_CHECK',
      'ERR_CREDIT_CODE_CHECKSUM',
    ]);
    expect(parsed.warnings.every((warning) => warning instanceof IdentityError)).toBe(true);
    expect(parsed).toMatchObject({
      value: manyProblems,
      registrationAuthority: { code: 'B', name: null },
      organizationType: { code: '1', name: null },
      divisionCode: '990100',
      organizationCode: 'M000100Y5',
    });
  });

  test('lenient mode reports an unknown organisation type', () => {
    const parsed = parseCreditCode(complete('94350100M000100Y'), { lenient: true });
    expect(parsed.warnings.map((warning) => warning.code)).toEqual(['ERR_CREDIT_CODE_ORG_TYPE']);
    expect(parsed.registrationAuthority).toEqual({ code: '9', name: '工商' });
    expect(parsed.organizationType).toEqual({ code: '4', name: null });
  });

  test('lenient mode on a valid code has no warnings', () => {
    expect(parseCreditCode('91350100M000100Y43', { lenient: true }).warnings).toEqual([]);
  });

  test('isValidCreditCode is strict', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode(42)).toBe(false);
  });
});

describe('organizationCodeCheckChar', () => {
  test.each([
    ['M000100Y', '4'],
    ['00001333', '8'],
    ['000A0000', 'X'],
    ['00000000', '0'],
  ])('%s → %s', (body, check) => {
    expect(organizationCodeCheckChar(body)).toBe(check);
    expect(referenceOrganizationCheck(body)).toBe(check);
  });

  test('rejects a body that is not 8 characters of 0-9 and A-Z', () => {
    expectIdentityError(() => organizationCodeCheckChar('M000100'), 'ERR_CREDIT_CODE_LENGTH');
    expectIdentityError(() => organizationCodeCheckChar('m000100Y'), 'ERR_CREDIT_CODE_CHARSET');
  });
});

describe('creditCodeCheckChar', () => {
  test.each([
    ['91350100M000100Y4', '3'],
    ['11100000000013338', 'W'],
  ])('%s → %s', (first17, check) => {
    expect(creditCodeCheckChar(first17)).toBe(check);
  });

  test('rejects input that is not 17 characters of the credit code set', () => {
    expectIdentityError(() => creditCodeCheckChar('91350100M000100Y'), 'ERR_CREDIT_CODE_LENGTH');
    expectIdentityError(() => creditCodeCheckChar('91350100M000100I4'), 'ERR_CREDIT_CODE_CHARSET');
  });
});
