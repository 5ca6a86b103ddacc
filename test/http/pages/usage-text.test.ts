import { USAGE_KIND_TEXT, verificationCountText } from '../../../src/http/pages/usage-text.js';
import { USAGE_KINDS } from '../../../src/modules/usage/index.js';

describe('usage record wording', () => {
  test('every kind reads in Chinese and English, each differently', () => {
    expect(Object.keys(USAGE_KIND_TEXT).sort()).toEqual([...USAGE_KINDS].sort());
    const chinese = USAGE_KINDS.map((kind) => USAGE_KIND_TEXT[kind].zh);
    expect(new Set(chinese).size).toBe(USAGE_KINDS.length);
    expect(chinese.every((text) => /[\u4e00-\u9fff]/.test(text))).toBe(true);
  });

  test('verification counts read as a number of times', () => {
    expect(verificationCountText(0)).toEqual({ zh: '匿名核验 0 次', en: '0 anonymous verifications' });
    expect(verificationCountText(1).en).toBe('1 anonymous verification');
  });
});
