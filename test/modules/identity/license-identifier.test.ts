import fc from 'fast-check';
import { buildLicenseIdentifier, mod37_36CheckChar, parseLicenseIdentifier } from '../../../src/modules/identity/index.js';
import { IdentityError } from '../../../src/shared/errors.js';
import { expectIdentityError } from './support/expect-code.js';
import { propertySeed } from './support/property-seed.js';
import { referenceMod37_36 } from './support/reference.js';

const TYPE_CODE = '11100000000013338W001';
const ISSUER = '91350100M000100Y43';
const SERIAL = 'A2026000123';

/*
 * Known example. The check covers the four middle fields concatenated:
 *   11100000000013338W001 + 91350100M000100Y43 + A2026000123 + 001
 * ISO 7064 MOD 37,36 over 0-9A-Z gives N: computed once by hand-written
 * Python from the standard's recurrence, and again below by
 * referenceMod37_36, which finds the character that makes the recurrence
 * over text + check end on 1 (mod 36), without the (37 − p) mod 36 shortcut.
 */
const EXAMPLE = `1.2.156.3005.2.${TYPE_CODE}.${ISSUER}.${SERIAL}.001.N`;

describe('license identifier: known example', () => {
  test('the check character is N, by two independent implementations', () => {
    const middle = `${TYPE_CODE}${ISSUER}${SERIAL}001`;
    expect(referenceMod37_36(middle)).toBe('N');
    expect(mod37_36CheckChar(middle)).toBe('N');
  });

  test('build gives the example', () => {
    expect(buildLicenseIdentifier({ typeCode: TYPE_CODE, issuerCreditCode: ISSUER, serial: SERIAL, version: 1 })).toBe(EXAMPLE);
  });

  test('parse gives the fields back', () => {
    expect(parseLicenseIdentifier(EXAMPLE)).toEqual({
      identifier: EXAMPLE,
      typeCode: TYPE_CODE,
      definingAuthorityCreditCode: '11100000000013338W',
      typeSequence: '001',
      issuerCreditCode: ISSUER,
      serial: SERIAL,
      version: 1,
      check: 'N',
    });
  });
});

describe('license identifier: round trip and tampering', () => {
  test.each([
    [{ typeCode: TYPE_CODE, issuerCreditCode: ISSUER, serial: 'X', version: 999 }],
    [{ typeCode: '91350100M000100Y43000', issuerCreditCode: '11100000000013338W', serial: 'Z'.repeat(32), version: 42 }],
    [{ typeCode: TYPE_CODE, issuerCreditCode: ISSUER, serial: '0', version: 100 }],
  ])('build → parse round trip %#', (parts) => {
    const identifier = buildLicenseIdentifier(parts);
    expect(identifier).toMatch(/^1\.2\.156\.3005\.2\.[0-9A-Z]{21}\.[0-9A-Z]{18}\.[0-9A-Z]{1,32}\.\d{3}\.[0-9A-Z]$/);
    expect(parseLicenseIdentifier(identifier)).toMatchObject(parts);
  });

  test('every single-character change of a middle field or of the check is rejected', () => {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const start = '1.2.156.3005.2.'.length;
    let tried = 0;
    for (let i = start; i < EXAMPLE.length; i += 1) {
      if (EXAMPLE[i] === '.') continue;
      for (const replacement of alphabet) {
        if (replacement === EXAMPLE[i]) continue;
        const altered = EXAMPLE.slice(0, i) + replacement + EXAMPLE.slice(i + 1);
        expect(() => parseLicenseIdentifier(altered)).toThrow(IdentityError);
        tried += 1;
      }
    }
    expect(tried).toBe((21 + 18 + 11 + 3 + 1) * 35);
  });

  test('a changed check character is a checksum error', () => {
    expectIdentityError(() => parseLicenseIdentifier(EXAMPLE.replace(/N$/, 'M')), 'ERR_LICENSE_ID_CHECKSUM');
  });

  test('a changed serial with the old check is a checksum error', () => {
    expectIdentityError(() => parseLicenseIdentifier(EXAMPLE.replace(SERIAL, 'A2026000124')), 'ERR_LICENSE_ID_CHECKSUM');
  });
});

describe('parseLicenseIdentifier: ERR_LICENSE_ID_FORMAT', () => {
  test.each([
    ['a number', 1.2],
    ['null', null],
    ['undefined', undefined],
    ['an object', {}],
    ['a wrong prefix', EXAMPLE.replace('1.2.156.3005.2.', '1.2.156.3005.3.')],
    ['a missing prefix', EXAMPLE.slice('1.2.156.3005.2.'.length)],
    ['a missing field', EXAMPLE.replace(`.${SERIAL}`, '')],
    ['an extra field', `${EXAMPLE}.0`],
    ['an empty check', EXAMPLE.slice(0, -1)],
    ['a two-character check', `${EXAMPLE}N`],
    ['lower case', EXAMPLE.toLowerCase()],
    ['a lower-case serial', EXAMPLE.replace(SERIAL, 'a2026000123')],
    ['surrounding whitespace', ` ${EXAMPLE}`],
    ['the empty string', ''],
  ])('%s', (_label, input) => {
    expectIdentityError(() => parseLicenseIdentifier(input), 'ERR_LICENSE_ID_FORMAT');
  });
});

describe('license identifier field rules', () => {
  const valid = { typeCode: TYPE_CODE, issuerCreditCode: ISSUER, serial: SERIAL, version: 1 };

  /** Builds the identifier text around the given raw fields, with a correct check where the characters allow. */
  function identifierWith(typeCode: string, issuer: string, serial: string, version: string): string {
    const middle = typeCode + issuer + serial + version;
    const check = /^[0-9A-Z]*$/.test(middle) ? mod37_36CheckChar(middle) : '0';
    return `1.2.156.3005.2.${typeCode}.${issuer}.${serial}.${version}.${check}`;
  }

  test.each([
    ['an invalid defining-authority credit code', '91350100M000100Y44001'],
    ['a sequence with a letter', '11100000000013338W00A'],
    ['a two-digit sequence', '11100000000013338W01'],
    ['a four-digit sequence', '11100000000013338W0001'],
    ['a credit code only', '11100000000013338W'],
  ])('ERR_LICENSE_ID_TYPE_CODE: %s', (_label, typeCode) => {
    expectIdentityError(() => parseLicenseIdentifier(identifierWith(typeCode, ISSUER, SERIAL, '001')), 'ERR_LICENSE_ID_TYPE_CODE');
    expectIdentityError(() => buildLicenseIdentifier({ ...valid, typeCode }), 'ERR_LICENSE_ID_TYPE_CODE');
  });

  test('ERR_LICENSE_ID_TYPE_CODE: build wants the canonical upper-case form', () => {
    expectIdentityError(() => buildLicenseIdentifier({ ...valid, typeCode: TYPE_CODE.toLowerCase() }), 'ERR_LICENSE_ID_TYPE_CODE');
  });

  test.each([
    ['a bad check character', '91350100M000100Y44'],
    ['17 characters', '91350100M000100Y4'],
    ['a citizen ID number', '11010519491231002X'],
  ])('ERR_LICENSE_ID_ISSUER: %s', (_label, issuer) => {
    expectIdentityError(() => parseLicenseIdentifier(identifierWith(TYPE_CODE, issuer, SERIAL, '001')), 'ERR_LICENSE_ID_ISSUER');
    expectIdentityError(() => buildLicenseIdentifier({ ...valid, issuerCreditCode: issuer }), 'ERR_LICENSE_ID_ISSUER');
  });

  test('ERR_LICENSE_ID_ISSUER: build wants the canonical form', () => {
    expectIdentityError(() => buildLicenseIdentifier({ ...valid, issuerCreditCode: ` ${ISSUER}` }), 'ERR_LICENSE_ID_ISSUER');
  });

  test.each([
    ['empty', ''],
    ['33 characters', 'A'.repeat(33)],
    ['a hyphen', 'A-1'],
    ['a full-width digit', 'A１'],
  ])('ERR_LICENSE_ID_SERIAL: %s', (_label, serial) => {
    expectIdentityError(() => parseLicenseIdentifier(identifierWith(TYPE_CODE, ISSUER, serial, '001')), 'ERR_LICENSE_ID_SERIAL');
    expectIdentityError(() => buildLicenseIdentifier({ ...valid, serial }), 'ERR_LICENSE_ID_SERIAL');
  });

  test('ERR_LICENSE_ID_SERIAL: build rejects lower case', () => {
    expectIdentityError(() => buildLicenseIdentifier({ ...valid, serial: 'a1' }), 'ERR_LICENSE_ID_SERIAL');
  });

  test.each(['000', '1', '01', '0001', '1A0'])('ERR_LICENSE_ID_VERSION: parse %p', (version) => {
    expectIdentityError(() => parseLicenseIdentifier(identifierWith(TYPE_CODE, ISSUER, SERIAL, version)), 'ERR_LICENSE_ID_VERSION');
  });

  test.each([0, -1, 1000, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('ERR_LICENSE_ID_VERSION: build %p', (version) => {
    expectIdentityError(() => buildLicenseIdentifier({ ...valid, version }), 'ERR_LICENSE_ID_VERSION');
  });
});

describe('mod37_36CheckChar', () => {
  test('agrees with the reference implementation', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'), maxLength: 80 }), (text) => {
        expect(mod37_36CheckChar(text)).toBe(referenceMod37_36(text));
      }),
      { numRuns: 2_000, seed: propertySeed('mod37-36') },
    );
  });

  test('rejects characters outside 0-9 and A-Z', () => {
    expectIdentityError(() => mod37_36CheckChar('ABc'), 'ERR_LICENSE_ID_FORMAT');
    expectIdentityError(() => mod37_36CheckChar('AB.C'), 'ERR_LICENSE_ID_FORMAT');
  });
});
