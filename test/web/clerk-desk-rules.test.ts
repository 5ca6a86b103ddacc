import { checkHolderNumber, maskedNumber } from '../../web/src/clerk/holder-number.js';
import { retryAfterText } from '../../web/src/sign-in/retry-after.js';

describe('the clerk’s desk checks an ID number by the vault’s own rules before sending it', () => {
  test.each([
    ['11010519491231002X', { type: 'citizen', value: '11010519491231002X' }],
    [' 11010519491231002x ', { type: 'citizen', value: '11010519491231002X' }],
    ['91350100M000100Y43', { type: 'organization', value: '91350100M000100Y43' }],
  ])('%j is read as the vault reads it', (input, holder) => {
    expect(checkHolderNumber(input)).toEqual({ holder });
  });

  test.each([
    ['110105194912310021', '身份证号校验位不对'],
    ['11010519491231', '身份证号应为 18 位'],
    ['99010519491231002X', '地区代码不存在'],
    ['11010520991231002X', '出生日期不存在或晚于今天'],
    ['91350100M000100Y44', '统一社会信用代码校验位不对'],
    ['ABC', '统一社会信用代码应为 18 位'],
  ])('%j is refused in plain Chinese: %s', (input, words) => {
    const checked = checkHolderNumber(input);
    expect('problem' in checked && checked.problem).toContain(words);
  });

  test('the dossier shows a citizen’s number masked and a credit code whole', () => {
    expect(maskedNumber({ type: 'citizen', id: '11010519491231002X' })).toBe('110105********002X');
    expect(maskedNumber({ type: 'organization', id: '91350100M000100Y43' })).toBe('91350100M000100Y43');
  });
});

describe('a locked-out sign-in says when to try again', () => {
  const now = new Date('2026-12-04T06:00:00Z');

  test('from Retry-After in seconds: the time and the minutes, rounded up', () => {
    const text = retryAfterText('890', now);
    expect(text).toMatch(/^请于 \d{2}:\d{2} 后再试（约 15 分钟）。$/);
  });

  test('from an HTTP date', () => {
    expect(retryAfterText(new Date(now.getTime() + 120_000).toUTCString(), now)).toContain('约 2 分钟');
  });

  test.each([null, '', '0', 'soon', new Date(now.getTime() - 1000).toUTCString()])('nothing to say for %j', (header) => {
    expect(retryAfterText(header, now)).toBeNull();
  });
});
