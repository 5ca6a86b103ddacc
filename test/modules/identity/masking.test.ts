import { buildLicenseIdentifier, maskCitizenId, maskHolderNumber, maskIdentityNumbersInText } from '../../../src/modules/identity/index.js';

describe('maskCitizenId', () => {
  test('18 characters keep the first 6 and last 4', () => {
    expect(maskCitizenId('11010519491231002X')).toBe('110105********002X');
  });

  test('15 digits keep the first 6 and last 3 (the birth date is hidden either way)', () => {
    expect(maskCitizenId('110105491231002')).toBe('110105******002');
  });

  test.each(['', '1101051949', '11010519491231002', '11010519491231002X0', ' 11010519491231002X'])('anything of another length is masked whole: %p', (value) => {
    expect(maskCitizenId(value)).toBe('*'.repeat(value.length));
  });
});

describe('maskHolderNumber', () => {
  test('masks citizens', () => {
    expect(maskHolderNumber({ type: 'citizen', value: '11010519491231002X' })).toBe('110105********002X');
  });

  test('returns credit codes whole (they are public)', () => {
    expect(maskHolderNumber({ type: 'organization', value: '91350100M000100Y43' })).toBe('91350100M000100Y43');
  });
});

describe('maskIdentityNumbersInText', () => {
  test.each([
    ['a URL path', '/api/v1/holders/11010519491231002X/licenses', '/api/v1/holders/110105********002X/licenses'],
    ['a query string', 'GET /licenses?id=11010519491231002X&page=2', 'GET /licenses?id=110105********002X&page=2'],
    ['JSON', '{"holder":"11010519491231002X","n":1}', '{"holder":"110105********002X","n":1}'],
    ['a lower-case x', 'holder 11010519491231002x', 'holder 110105********002x'],
    ['a legacy 15-digit number', 'legacy=110105491231002;', 'legacy=110105******002;'],
    ['Chinese text around it', '持证人11010519491231002X已登记', '持证人110105********002X已登记'],
    ['a failing checksum (still personal data)', 'id 110105194912310021', 'id 110105********0021'],
    ['the whole string', '440524188001010014', '440524********0014'],
    ['several numbers', '11010519491231002X,440524188001010014 110105491231002', '110105********002X,440524********0014 110105******002'],
    ['URL-encoded delimiters', 'q=%2211010519491231002X%22', 'q=%22110105********002X%22'],
    ['after an encoded slash', '/holders%2F110105491231002', '/holders%2F110105******002'],
    // Issue 15: numbers as people write them.
    ['groups split by spaces (6-8-4)', '身份证 110105 19491231 002X 已核', '身份证 110105 ******** 002X 已核'],
    ['groups split by dashes (6-8-4)', 'id=110105-19491231-002X;', 'id=110105-********-002X;'],
    ['groups of four after the division (6-4-4-4)', '110105 1949 1231 002X', '110105 **** **** 002X'],
    ['a legacy number in groups (6-6-3)', 'old 110105-491231-002.', 'old 110105-******-002.'],
    ['groups split by ideographic spaces', '号码：110105\u300019491231\u3000002X', '号码：110105\u3000********\u3000002X'],
    ['groups split by an encoded space in a URL', '/holders/110105%2019491231%20002X/licenses', '/holders/110105%20********%20002X/licenses'],
    ['full-width digits', '持证人１１０１０５１９４９１２３１００２Ｘ', '持证人１１０１０５********００２Ｘ'],
    ['full-width digits in groups', '１１０１０５ １９４９１２３１ ００２ｘ', '１１０１０５ ******** ００２ｘ'],
    ['a letter prefix', 'holder ID11010519491231002X', 'holder ID110105********002X'],
    ['a pinyin prefix', 'sfz110105194912310021 q', 'sfz110105********0021 q'],
    ['a prefix and groups', 'SFZ110105-19491231-002X', 'SFZ110105-********-002X'],
    ['a prefix on a legacy number', 'no=id110105491231002', 'no=id110105******002'],
  ])('masks in %s', (_label, text, masked) => {
    expect(maskIdentityNumbersInText(text)).toBe(masked);
  });

  test.each([
    ['a credit code', 'issuer 91350100M000100Y43 signed'],
    ['a 20-digit run (neither masked nor partly masked)', 'order 12345678901234567890 paid'],
    ['a 19-digit run', 'n=1101051949123100201'],
    ['a 16-digit run', 'card 1101051949123100'],
    ['a 17-digit run', 'n=11010519491231002'],
    ['digits embedded in a longer alphanumeric token', 'trace abc11010519491231002Xdef'],
    ['an 18-character run followed by a letter', 'n=11010519491231002XA'],
    ['15 digits inside a hex digest', 'sha=9f3a110105491231002'],
    ['a longer letter prefix than an ID label (more than 8 letters)', 'abcdefghi11010519491231002X'],
    ['groups of the wrong sizes', '1101 0519 4912 3100 2X'],
    ['two separators between groups', '110105  19491231  002X'],
    ['6-8-4 groups followed by more digits', '110105 19491231 002X1'],
    ['a phone number and a date', '电话 138-0013-8000，日期 2026-11-21'],
    ['a short text', 'ok'],
    ['an empty text', ''],
  ])('leaves %s alone', (_label, text) => {
    expect(maskIdentityNumbersInText(text)).toBe(text);
  });

  test('leaves license identifiers and credit codes alone', () => {
    const identifier = buildLicenseIdentifier({ typeCode: '11100000000013338W032', issuerCreditCode: '91350100M000100Y43', serial: '000001', version: 1 });
    for (const text of [identifier, `/api/v1/licenses/${identifier}/pdf`, `/v/${identifier}?c=abc`, 'issuer 91350100M000100Y43', '12100000MB0258741E'])
      expect(maskIdentityNumbersInText(text)).toBe(text);
  });

  // Its time on these (linear, not quadratic) is bounded in test/bench/time-bounds.ts.
  test('leaves a long digit run alone and masks every number of a long line', () => {
    const digits = '1'.repeat(200_000);
    const line = 'x /holders/11010519491231002X/licenses '.repeat(20_000);
    expect(maskIdentityNumbersInText(digits)).toBe(digits);
    expect(maskIdentityNumbersInText(line)).toBe('x /holders/110105********002X/licenses '.repeat(20_000));
  });
});
