import { claimShape, holderFromClaims, safeReturnPath, SignInSeal, type PendingSignIn } from '../../../src/modules/holders/index.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { movableClock } from '../../support/vault-harness.js';

const clock = fixedClock('2026-11-21T02:00:00Z');
const NAMES = { citizen: 'id_card_number', organization: 'credit_code', name: 'name' };

describe('the holder a token names (claims → holder)', () => {
  test('a citizen ID number claim signs the citizen in, normalised (lower-case x, spaces) by the identity module', () => {
    expect(holderFromClaims({ sub: 'a', id_card_number: ' 11010519491231002x ', name: '李秀英' }, NAMES, clock)).toEqual({
      holder: { type: 'citizen', value: '11010519491231002X' },
      name: '李秀英',
    });
  });

  test('a credit code claim signs the company in; with a citizen ID number too it is still the company (its legal representative acting for it)', () => {
    const company = { type: 'organization', value: '91350100M000100Y43' };
    expect(holderFromClaims({ credit_code: '91350100M000100Y43', name: '福州演示科技有限公司' }, NAMES, clock)).toEqual({ holder: company, name: '福州演示科技有限公司' });
    expect(holderFromClaims({ credit_code: '91350100M000100Y43', id_card_number: '11010519491231002X', name: '张伟' }, NAMES, clock).holder).toEqual(company);
  });

  test('the claim names are configurable', () => {
    const names = { citizen: 'sfzhm', organization: 'tyshxydm', name: 'xm' };
    expect(holderFromClaims({ sfzhm: '11010519491231002X', xm: '李秀英', id_card_number: 'ignored' }, names, clock)).toEqual({
      holder: { type: 'citizen', value: '11010519491231002X' },
      name: '李秀英',
    });
  });

  test('no number claim (absent, null or empty) is ERR_HOLDER_CLAIM_MISSING', () => {
    for (const claims of [{ sub: 'a', name: '李秀英' }, { id_card_number: null }, { id_card_number: '', credit_code: '' }]) {
      expect(() => holderFromClaims(claims, NAMES, clock)).toThrow(expect.objectContaining({ code: 'ERR_HOLDER_CLAIM_MISSING' }));
    }
  });

  test('an invalid number is ERR_HOLDER_CLAIM_INVALID naming the claim, the rule and the shape, never the value', () => {
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [
        { id_card_number: '110105194912310021' },
        { claim: 'id_card_number', holderType: 'citizen', rule: 'ERR_CITIZEN_ID_CHECKSUM', shape: { type: 'string', length: 18, characters: 'digits' } },
      ],
      [{ id_card_number: 11010519491231002 }, { claim: 'id_card_number', rule: 'ERR_CITIZEN_ID_NOT_STRING', shape: { type: 'number' } }],
      [
        { credit_code: '91350100M000100Y44' },
        { claim: 'credit_code', holderType: 'organization', rule: 'ERR_CREDIT_CODE_CHECKSUM', shape: { type: 'string', length: 18, characters: 'digits+letters' } },
      ],
      [{ id_card_number: ['11010519491231002X'] }, { rule: 'ERR_CITIZEN_ID_NOT_STRING', shape: { type: 'array' } }],
    ];
    for (const [claims, details] of cases) {
      let thrown: unknown;
      try {
        holderFromClaims(claims, NAMES, clock);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ code: 'ERR_HOLDER_CLAIM_INVALID', details });
      expect(JSON.stringify(thrown) + String((thrown as Error).message)).not.toMatch(/1101051949|M000100Y4/);
    }
  });

  test('a name that is not printable text of 1 to 100 characters is dropped, never a reason to refuse', () => {
    for (const name of ['', '   ', 'a\u202Eb', '<b>x</b>', 'x'.repeat(101), 42]) {
      expect(holderFromClaims({ id_card_number: '11010519491231002X', name }, NAMES, clock).name).toBeNull();
    }
  });

  test('claimShape tells kinds of value apart without their content', () => {
    expect(claimShape('ab-12')).toEqual({ type: 'string', length: 5, characters: 'digits+letters+other' });
    expect(claimShape('')).toEqual({ type: 'string', length: 0, characters: 'none' });
    expect(claimShape(null)).toEqual({ type: 'null' });
    expect(claimShape({ a: 1 })).toEqual({ type: 'object' });
  });
});

describe('the sealed sign-in the browser keeps', () => {
  const key = Buffer.alloc(32, 7);
  const pending = (expiresAt: number): PendingSignIn => ({ state: 's'.repeat(43), nonce: 'n'.repeat(43), codeVerifier: 'v'.repeat(43), returnTo: '/me', expiresAt });

  test('opens to what was sealed, until it expires', () => {
    const at = movableClock('2026-11-21T02:00:00Z');
    const seal = new SignInSeal(key, at);
    const sealed = seal.seal(pending(at.now().getTime() + 600_000));
    expect(seal.open(sealed)).toEqual(pending(at.now().getTime() + 600_000));
    at.set('2026-11-21T02:10:00Z');
    expect(seal.open(sealed)).toBeNull();
  });

  test('a changed byte, another key, a truncated or missing value opens to nothing', () => {
    const seal = new SignInSeal(key, clock);
    const sealed = seal.seal(pending(clock.now().getTime() + 600_000));
    const bytes = Buffer.from(sealed, 'base64url');
    bytes[20]! ^= 1;
    expect(seal.open(bytes.toString('base64url'))).toBeNull();
    expect(new SignInSeal(Buffer.alloc(32, 8), clock).open(sealed)).toBeNull();
    expect(seal.open(sealed.slice(0, 30))).toBeNull();
    expect(seal.open(undefined)).toBeNull();
    expect(seal.open('not base64url!')).toBeNull();
  });
});

describe('where a holder may be sent back after signing in', () => {
  test.each(['/me', '/me/', '/me/licenses', '/me/licenses/1.2.156.3005.2.x', '/me/usage'])('%s is kept', (path) => {
    expect(safeReturnPath(path)).toBe(path);
  });

  test.each([
    'https://evil.example/me',
    '//evil.example/me',
    '/\\evil.example',
    '/me/../admin',
    '/me/%2e%2e/x',
    '/me//evil',
    '/mex',
    '/me?x=1',
    '/docs',
    '',
    undefined,
    42,
    ['/me'],
  ])('%p becomes /me', (path) => {
    expect(safeReturnPath(path)).toBe('/me');
  });
});
