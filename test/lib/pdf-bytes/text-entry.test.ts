import { lastTextEntry } from '../../../src/lib/pdf-bytes/index.js';

const bytesOf = (...parts: string[]): Uint8Array => new Uint8Array(Buffer.from(parts.join(''), 'latin1'));
/** A text string as the vault writes one: UTF-16BE with a BOM, hex-encoded. */
const utf16Hex = (text: string): string => `<FEFF${Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase()}>`;

const IDENTIFIER = '1.2.156.3005.2.11100000000013338W032.91350100M000100Y43.A2026000123.001.N';

describe('lastTextEntry', () => {
  test('reads a UTF-16BE hex text string, as pdf-lib writes document information', () => {
    const pdf = bytesOf('%PDF-1.7\n1 0 obj\n<<\n/Title <FEFF0041>\n/LicenseIdentifier ', utf16Hex(IDENTIFIER), '\n>>\nendobj\n');
    expect(lastTextEntry(pdf, 'LicenseIdentifier')).toBe(IDENTIFIER);
    expect(lastTextEntry(pdf, 'Title')).toBe('A');
  });

  test('reads Chinese text, a literal string with escapes, and a key with no space before its value', () => {
    expect(lastTextEntry(bytesOf('<</Author', utf16Hex('福州市市场监督管理局'), '>>'), 'Author')).toBe('福州市市场监督管理局');
    expect(lastTextEntry(bytesOf('<< /Subject (a \\(b\\) c\\\\) >>'), 'Subject')).toBe('a (b) c\\');
    expect(lastTextEntry(bytesOf('<< /Subject % a comment\n (after a comment) >>'), 'Subject')).toBe('after a comment');
  });

  test('the last entry wins, as in an incremental update', () => {
    const pdf = bytesOf('1 0 obj << /LicenseIdentifier ', utf16Hex('first'), ' >> endobj\n', '9 0 obj << /LicenseIdentifier ', utf16Hex('second'), ' >> endobj\n');
    expect(lastTextEntry(pdf, 'LicenseIdentifier')).toBe('second');
  });

  test('a later entry whose value is not a string does not hide an earlier one', () => {
    const pdf = bytesOf('<< /LicenseIdentifier ', utf16Hex('written'), ' >>\n<< /LicenseIdentifier 5 0 R >>\n<< /LicenseIdentifier');
    expect(lastTextEntry(pdf, 'LicenseIdentifier')).toBe('written');
  });

  test('only the exact name counts: a longer name, or the text without its slash, does not', () => {
    expect(lastTextEntry(bytesOf('<< /LicenseIdentifierOld (old) /XLicenseIdentifier (x) >> LicenseIdentifier (bare)'), 'LicenseIdentifier')).toBeNull();
    expect(lastTextEntry(bytesOf('<< /LicenseIdentifier#20 (escaped) >>'), 'LicenseIdentifier')).toBeNull();
  });

  test('an unterminated string, a bad hex string or a value longer than 1024 bytes is no entry', () => {
    expect(lastTextEntry(bytesOf('<< /LicenseIdentifier (never ends'), 'LicenseIdentifier')).toBeNull();
    expect(lastTextEntry(bytesOf('<< /LicenseIdentifier <FEFF00ZZ> >>'), 'LicenseIdentifier')).toBeNull();
    expect(lastTextEntry(bytesOf('<< /LicenseIdentifier (', 'x'.repeat(2000), ') >>'), 'LicenseIdentifier')).toBeNull();
    expect(lastTextEntry(bytesOf('<< /LicenseIdentifier (', 'x'.repeat(1000), ') >>'), 'LicenseIdentifier')).toBe('x'.repeat(1000));
    expect(lastTextEntry(new Uint8Array(), 'LicenseIdentifier')).toBeNull();
  });

  test('only the last 100 occurrences are tried: a flood of 500,000 keys each opening a string that never ends gives null', () => {
    const flood = '/LicenseIdentifier ('.repeat(500_000);
    expect(lastTextEntry(bytesOf('<< /LicenseIdentifier (hidden) >>', flood), 'LicenseIdentifier')).toBeNull();
    const fewer = '/LicenseIdentifier ('.repeat(99);
    expect(lastTextEntry(bytesOf('<< /LicenseIdentifier (found) >>', fewer), 'LicenseIdentifier')).toBe('found');
  });

  test('a key that is not a plain name is a programming error', () => {
    for (const key of ['', 'a b', 'a/b', 'a#20', '名']) expect(() => lastTextEntry(new Uint8Array(), key)).toThrow(TypeError);
  });
});
