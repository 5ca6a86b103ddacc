import { CODE_ALPHABET, CODE_BITS, CODE_LENGTH, codeHint, displayCode, generateCode, hashCode, normalizeCode } from '../../../src/modules/authorizations/index.js';

describe('用证码', () => {
  test('the alphabet has 30 symbols and none that reads as another: no 0, 1, I, L, O or U', () => {
    expect(CODE_ALPHABET).toHaveLength(30);
    expect(new Set(CODE_ALPHABET).size).toBe(30);
    for (const lookAlike of '01ILOU') expect(CODE_ALPHABET).not.toContain(lookAlike);
    expect(CODE_LENGTH).toBe(8);
    expect(CODE_BITS).toBeCloseTo(39.26, 2);
  });

  test('a generated code is 8 symbols of the alphabet, and every symbol turns up in a few hundred codes', () => {
    const codes = Array.from({ length: 400 }, generateCode);
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJKMNP-TV-Z]{8}$/);
    expect(new Set(codes).size).toBe(400);
    expect(new Set(codes.join(''))).toEqual(new Set(CODE_ALPHABET));
  });

  test.each([
    ['ABCD2345', 'ABCD2345'],
    ['abcd-2345', 'ABCD2345'],
    [' ab cd 23 45 ', 'ABCD2345'],
    ['ABCD–2345', 'ABCD2345'],
    ['ＡＢＣＤ－２３４５', 'ABCD2345'],
    ['abcd_2345\n', 'ABCD2345'],
  ])('%j is read as %s', (typed, code) => {
    expect(normalizeCode(typed)).toBe(code);
  });

  test.each([
    ['too short', 'ABCD234'],
    ['too long', 'ABCD23456'],
    ['a look-alike O', 'ABCD234O'],
    ['a look-alike 1', 'ABCD2341'],
    ['punctuation', 'ABCD.2345'],
    ['an empty string', ''],
    ['a very long input', `${'A'.repeat(8)}${' '.repeat(40)}`],
    ['a number', 12345678],
    ['an object', { $ne: null }],
  ])('%s is ERR_AUTHORIZATION_CODE_MALFORMED', (_name, typed) => {
    expect(() => normalizeCode(typed)).toThrow(expect.objectContaining({ code: 'ERR_AUTHORIZATION_CODE_MALFORMED' }));
  });

  test('the stored hash is SHA-256 hex, the same for the same code and different for another; the hint and the display form', () => {
    expect(hashCode('ABCD2345')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashCode('ABCD2345')).toBe(hashCode(normalizeCode('abcd-2345')));
    expect(hashCode('ABCD2346')).not.toBe(hashCode('ABCD2345'));
    expect(hashCode('ABCD2345')).not.toContain('ABCD2345');
    expect(codeHint('ABCD2345')).toBe('45');
    expect(displayCode('ABCD2345')).toBe('ABCD-2345');
  });
});
