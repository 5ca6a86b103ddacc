import { fixedClock } from '../../../src/shared/clock.js';
import { HOLDER_TYPE_CODES, isHolderType, parseHolderNumber } from '../../../src/modules/identity/index.js';
import { expectIdentityError } from './support/expect-code.js';

const clock = fixedClock('2026-11-21T12:00:00+08:00');

describe('holder numbers', () => {
  test('type codes', () => {
    expect(HOLDER_TYPE_CODES).toEqual({ citizen: '111', organization: '001' });
  });

  test('a citizen holder number is validated and normalised as a citizen ID number', () => {
    expect(parseHolderNumber('citizen', ' 11010519491231002x', clock)).toEqual({ type: 'citizen', value: '11010519491231002X' });
    expect(parseHolderNumber('citizen', '110105491231002', clock)).toEqual({ type: 'citizen', value: '11010519491231002X' });
  });

  test('an organisation holder number is validated and normalised as a credit code', () => {
    expect(parseHolderNumber('organization', '91350100m000100y43', clock)).toEqual({
      type: 'organization',
      value: '91350100M000100Y43',
    });
  });

  test.each([['person'], ['Citizen'], ['ORGANIZATION'], [''], [undefined], [null], [111], [{}]])('unknown type %p → ERR_HOLDER_TYPE', (type) => {
    expectIdentityError(() => parseHolderNumber(type, '11010519491231002X', clock), 'ERR_HOLDER_TYPE');
  });

  test('the number rules of the chosen type apply', () => {
    expectIdentityError(() => parseHolderNumber('citizen', '91350100M000100Y43', clock), 'ERR_CITIZEN_ID_CHARSET');
    expectIdentityError(() => parseHolderNumber('citizen', 42, clock), 'ERR_CITIZEN_ID_NOT_STRING');
    expectIdentityError(() => parseHolderNumber('organization', '11010519491231002X', clock), 'ERR_CREDIT_CODE_DIVISION');
    expectIdentityError(() => parseHolderNumber('organization', '91350100M000100Y44', clock), 'ERR_CREDIT_CODE_CHECKSUM');
  });

  test('isHolderType', () => {
    expect(isHolderType('citizen')).toBe(true);
    expect(isHolderType('organization')).toBe(true);
    expect(isHolderType('organisation')).toBe(false);
  });
});
