import { otpauthTotp } from '../../../src/adapters/totp/otpauth-totp.js';
import { matchingStep, stepOf } from '../../../src/modules/staff/index.js';

/** RFC 6238 Appendix B, SHA-1: the seed "12345678901234567890" (base32 below); the six-digit codes are the last six of the eight given. */
const SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const VECTORS: readonly [seconds: number, code: string][] = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
  [20000000000, '353130'],
];

describe('TOTP through otpauth', () => {
  test.each(VECTORS)('RFC 6238 test vector at T=%i s gives %s', (seconds, code) => {
    expect(otpauthTotp.codeAt(SEED, stepOf(new Date(seconds * 1000)))).toBe(code);
  });

  test('a new secret is 160 random bits in base32; the URI says issuer, label, SHA1, 6 digits, 30 s', () => {
    const secret = otpauthTotp.generateSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthTotp.generateSecret()).not.toBe(secret);
    const uri = new URL(otpauthTotp.uri(secret, '电子证照库', 'wangfang'));
    expect(`${uri.protocol}//${uri.host}`).toBe('otpauth://totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/电子证照库:wangfang');
    expect(Object.fromEntries(uri.searchParams)).toEqual({ issuer: '电子证照库', secret, algorithm: 'SHA1', digits: '6', period: '30' });
  });

  test('a code matches its own step and the steps either side, never one used already', () => {
    const at = new Date(1111111111 * 1000);
    const now = stepOf(at);
    expect(matchingStep(otpauthTotp, SEED, '050471', at)).toBe(now);
    expect(matchingStep(otpauthTotp, SEED, '081804', at)).toBe(now - 1);
    expect(matchingStep(otpauthTotp, SEED, otpauthTotp.codeAt(SEED, now + 1), at)).toBe(now + 1);
    expect(matchingStep(otpauthTotp, SEED, otpauthTotp.codeAt(SEED, now + 2), at)).toBeNull();
    expect(matchingStep(otpauthTotp, SEED, '050471', at, now)).toBeNull();
    expect(matchingStep(otpauthTotp, SEED, '081804', at, now - 1)).toBeNull();
    expect(matchingStep(otpauthTotp, SEED, '12345', at)).toBeNull();
  });
});
