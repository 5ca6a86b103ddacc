/**
 * @jest-environment ./test/support/softhsm-environment.ts
 */
import { generateKeyPairSync, sign, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pkcs11js from 'pkcs11js';
import { writeDepartmentChain, type RootCa } from '../../../../src/adapters/pki/pki-directory.js';
import {
  CK,
  ecdsaSignatureToDer,
  generateKeyPairInToken,
  loadPkcs11Binding,
  Pkcs11Library,
  Pkcs11SignerProvider,
  Pkcs11Token,
  type BindingLoader,
  type Handle,
  type Pkcs11Binding,
} from '../../../../src/adapters/pki/pkcs11/index.js';
import { keyIdentifierOf, spkiDer, summarizeCertificate, type KeyAlgorithm } from '../../../../src/adapters/pki/x509/index.js';
import { fixedClock, type Clock } from '../../../../src/shared/clock.js';
import { makeTestPki, TEST_DEPARTMENT, type TestPki } from '../../../fixtures/pki.js';
import { capturedLogger } from '../../../support/log-capture.js';
import { createSoftHsm, SOFTHSM_LIBRARY, TEST_HSM_USER_PIN, type SoftHsm } from '../../../support/softhsm.js';

const DATA = new TextEncoder().encode('the DER of CMS signed attributes, for the test');
const LABEL = 'vault-adapter-test';

/** Counts what the real binding is asked to do, and fails C_Sign on demand: the seam the library takes. */
class InstrumentedLoader {
  signsInFlight = 0;
  mostSignsAtOnce = 0;
  readonly sessionsInUse = new Set<string>();
  sessionReuseClash = false;
  initializations = 0;
  #failSigns: string[] = [];

  /** The next C_Sign calls fail with these return values, as a device would. */
  failNextSigns(...returnValues: string[]): void {
    this.#failSigns.push(...returnValues);
  }

  readonly load: BindingLoader = (path) => {
    const real = loadPkcs11Binding(path);
    return new Proxy(real, {
      get: (target, property) => {
        if (property === 'C_Initialize') {
          return (...args: Parameters<Pkcs11Binding['C_Initialize']>) => {
            this.initializations += 1;
            return target.C_Initialize(...args);
          };
        }
        if (property === 'C_SignAsync') return (session: Handle, data: Buffer, out: Buffer) => this.sign(target, session, data, out);
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  };

  private async sign(target: Pkcs11Binding, session: Handle, data: Buffer, out: Buffer): Promise<Buffer> {
    const failure = this.#failSigns.shift();
    if (failure) throw new pkcs11js.Pkcs11Error(failure, (pkcs11js as unknown as Record<string, number>)[failure], 'C_Sign');
    const key = session.toString('hex');
    if (this.sessionsInUse.has(key)) this.sessionReuseClash = true;
    this.sessionsInUse.add(key);
    this.signsInFlight += 1;
    this.mostSignsAtOnce = Math.max(this.mostSignsAtOnce, this.signsInFlight);
    try {
      return await target.C_SignAsync(session, data, out);
    } finally {
      this.signsInFlight -= 1;
      this.sessionsInUse.delete(key);
    }
  }
}

interface Rig {
  readonly hsm: SoftHsm;
  readonly library: Pkcs11Library;
  readonly loader: InstrumentedLoader;
  readonly certsDir: string;
  readonly pki: TestPki;
  readonly clock: Clock;
  readonly log: ReturnType<typeof capturedLogger>;
  provider(overrides?: { pin?: string; tokenLabel?: string; clock?: Clock; sessions?: number }): Pkcs11SignerProvider;
  /** Makes a key pair in the token and writes its certificate chain, as `pki department --pkcs11` does. */
  makeDepartmentKey(department?: { name: string; creditCode: string }): Promise<{ keyId: Uint8Array; chain: readonly Uint8Array[] }>;
  /** A read-write token on the library's live connection, for looking at (and tampering with) objects. */
  openToken(): Promise<Pkcs11Token>;
}

/** Each test: its own SoftHSM directory and token, its own library, the fixture CA of `algorithm`. */
async function rig(algorithm: KeyAlgorithm): Promise<Rig> {
  const hsm = createSoftHsm();
  hsm.createToken(LABEL);
  const loader = new InstrumentedLoader();
  const library = new Pkcs11Library(SOFTHSM_LIBRARY, loader.load);
  const certsDir = mkdtempSync(join(tmpdir(), 'vault-pkcs11-certs-'));
  const pki = makeTestPki({ algorithm });
  const clock = fixedClock(pki.now.toISOString());
  const log = capturedLogger();
  const ca: RootCa = { issuer: pki.root, certificateChain: [pki.root.certificateDer] };
  const providers: Pkcs11SignerProvider[] = [];
  const openToken = async () => Pkcs11Token.open(await library.connection(), { label: LABEL, pin: TEST_HSM_USER_PIN, readWrite: true, sessions: 1 });
  const made: Rig = {
    hsm,
    library,
    loader,
    certsDir,
    pki,
    clock,
    log,
    openToken,
    provider: (overrides = {}) => {
      const provider = new Pkcs11SignerProvider({
        library,
        tokenLabel: overrides.tokenLabel ?? LABEL,
        pin: overrides.pin ?? TEST_HSM_USER_PIN,
        certsDir,
        clock: overrides.clock ?? clock,
        logger: log.logger,
        ...(overrides.sessions ? { sessions: overrides.sessions } : {}),
      });
      providers.push(provider);
      return provider;
    },
    makeDepartmentKey: async (department = TEST_DEPARTMENT) => {
      const token = await openToken();
      try {
        const pair = await generateKeyPairInToken(token, algorithm, department.creditCode);
        const written = await writeDepartmentChain(certsDir, ca, { department, publicKey: pair.publicKey, now: pki.now, force: true });
        return { keyId: pair.keyId, chain: written.certificateChain };
      } finally {
        token.close();
      }
    },
  };
  afterEachCleanups.push(async () => {
    for (const provider of providers) await provider.close();
    await library.close();
    hsm.dispose();
    rmSync(certsDir, { recursive: true, force: true });
  });
  return made;
}

const afterEachCleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of afterEachCleanups.splice(0)) await cleanup();
});

function verifies(signature: Uint8Array, chain: readonly Uint8Array[], data = DATA): boolean {
  return verify('sha256', data, new X509Certificate(chain[0]!).publicKey, signature);
}

describe.each<KeyAlgorithm>(['RSA', 'EC'])('%s key in SoftHSM2', (algorithm) => {
  test('the key is made sensitive and never extractable: its attributes say so, and its secret parts cannot be read', async () => {
    const { makeDepartmentKey, openToken } = await rig(algorithm);
    const { keyId, chain } = await makeDepartmentKey();
    expect(Buffer.from(keyId)).toEqual(Buffer.from(keyIdentifierOf(spkiDer(new X509Certificate(chain[0]!).publicKey))));

    const token = await openToken();
    try {
      const [privateKey, ...others] = await token.findObjects([
        { type: CK.CKA_CLASS, value: CK.CKO_PRIVATE_KEY },
        { type: CK.CKA_ID, value: Buffer.from(keyId) },
      ]);
      expect(others).toHaveLength(0);
      const flags = [CK.CKA_TOKEN, CK.CKA_PRIVATE, CK.CKA_SENSITIVE, CK.CKA_EXTRACTABLE, CK.CKA_ALWAYS_SENSITIVE, CK.CKA_NEVER_EXTRACTABLE, CK.CKA_SIGN, CK.CKA_DECRYPT];
      const values = await token.attributes(privateKey!, flags);
      const flag = (type: number) => values.get(type)?.[0] === 1;
      expect({
        token: flag(CK.CKA_TOKEN),
        private: flag(CK.CKA_PRIVATE),
        sensitive: flag(CK.CKA_SENSITIVE),
        extractable: flag(CK.CKA_EXTRACTABLE),
        alwaysSensitive: flag(CK.CKA_ALWAYS_SENSITIVE),
        neverExtractable: flag(CK.CKA_NEVER_EXTRACTABLE),
        sign: flag(CK.CKA_SIGN),
        decrypt: flag(CK.CKA_DECRYPT),
      }).toEqual({ token: true, private: true, sensitive: true, extractable: false, alwaysSensitive: true, neverExtractable: true, sign: true, decrypt: false });
      expect((await token.attributes(privateKey!, [CK.CKA_LABEL])).get(CK.CKA_LABEL)?.toString()).toBe(TEST_DEPARTMENT.creditCode);

      const secretParts = algorithm === 'RSA' ? [CK.CKA_PRIVATE_EXPONENT, CK.CKA_PRIME_1] : [CK.CKA_VALUE];
      for (const part of secretParts) {
        await expect(token.attributes(privateKey!, [part])).rejects.toMatchObject({
          code: 'ERR_SIGNER_UNAVAILABLE',
          details: { call: 'C_GetAttributeValue', reason: 'CKR_ATTRIBUTE_SENSITIVE' },
        });
      }
    } finally {
      token.close();
    }
  });

  test('signs on the token; the signature verifies with node:crypto against the certificate, in the P12 signer’s format', async () => {
    const { makeDepartmentKey, provider } = await rig(algorithm);
    const { chain } = await makeDepartmentKey();
    const signer = await provider().signerFor(TEST_DEPARTMENT.creditCode);
    expect(signer.algorithm).toBe(algorithm === 'RSA' ? 'RSA-SHA256' : 'ECDSA-P256-SHA256');
    expect(signer.certificateChain.map((der) => Buffer.from(der).toString('hex'))).toEqual(chain.map((der) => Buffer.from(der).toString('hex')));
    expect(signer.certificate).toEqual(summarizeCertificate(chain[0]!));

    const signature = await signer.sign(DATA);
    expect(verifies(signature, chain)).toBe(true);
    expect(verifies(signature, chain, new TextEncoder().encode('other data'))).toBe(false);
    if (algorithm === 'RSA') expect(signature).toHaveLength(256);
    else expect(signature[0]).toBe(0x30); // DER ECDSA-Sig-Value, as signSha256Async gives
  });

  test('50 signatures at once all verify, several run together, and no session runs two operations at a time', async () => {
    const { makeDepartmentKey, provider, loader } = await rig(algorithm);
    const { chain } = await makeDepartmentKey();
    const signer = await provider({ sessions: 4 }).signerFor(TEST_DEPARTMENT.creditCode);
    const inputs = Array.from({ length: 50 }, (_, i) => new TextEncoder().encode(`signed attributes ${i}`));
    const signatures = await Promise.all(inputs.map((input) => signer.sign(input)));
    expect(signatures.every((signature, i) => verifies(signature, chain, inputs[i]))).toBe(true);
    expect(loader.sessionReuseClash).toBe(false);
    expect(loader.mostSignsAtOnce).toBeGreaterThan(1);
    expect(loader.mostSignsAtOnce).toBeLessThanOrEqual(4);
  });
});

describe('the provider’s checks and failures (RSA)', () => {
  test('certificate validity is checked at the clock’s now, when opening and on every signature', async () => {
    const { makeDepartmentKey, provider, pki } = await rig('RSA');
    await makeDepartmentKey();
    const later = fixedClock(new Date(pki.now.getTime() + 4 * 365 * 86_400_000).toISOString());
    await expect(provider({ clock: later }).signerFor(TEST_DEPARTMENT.creditCode)).rejects.toMatchObject({ code: 'ERR_SIGNER_CERT_EXPIRED' });
    const earlier = fixedClock(new Date(pki.now.getTime() - 3 * 86_400_000).toISOString());
    await expect(provider({ clock: earlier }).signerFor(TEST_DEPARTMENT.creditCode)).rejects.toMatchObject({ code: 'ERR_SIGNER_CERT_NOT_YET_VALID' });

    let now = pki.now;
    const signer = await provider({ clock: { now: () => now } }).signerFor(TEST_DEPARTMENT.creditCode);
    now = new Date(pki.now.getTime() + 4 * 365 * 86_400_000);
    await expect(signer.sign(DATA)).rejects.toMatchObject({ code: 'ERR_SIGNER_CERT_EXPIRED' });
  });

  test('no chain file is ERR_SIGNER_KEY_MISSING; a chain whose key is not on the token too', async () => {
    const { provider, certsDir, pki } = await rig('RSA');
    await expect(provider().signerFor(TEST_DEPARTMENT.creditCode)).rejects.toMatchObject({
      code: 'ERR_SIGNER_KEY_MISSING',
      message: expect.stringContaining('pki department --pkcs11'),
    });
    // A certificate (with its key elsewhere, in a P12) but no such key on the token.
    const ca: RootCa = { issuer: pki.root, certificateChain: [pki.root.certificateDer] };
    await writeDepartmentChain(certsDir, ca, { department: TEST_DEPARTMENT, publicKey: pki.department.privateKey, now: pki.now });
    await expect(provider().signerFor(TEST_DEPARTMENT.creditCode)).rejects.toMatchObject({
      code: 'ERR_SIGNER_KEY_MISSING',
      message: expect.stringContaining('no private key with CKA_ID'),
    });
  });

  test('a signingKey names its chain file, and so its key on the token: two keys of one department, each signing as itself', async () => {
    const { provider, openToken, certsDir, pki } = await rig('EC');
    const ca: RootCa = { issuer: pki.root, certificateChain: [pki.root.certificateDer] };
    const chains = new Map<string, readonly Uint8Array[]>();
    const token = await openToken();
    try {
      for (const keyName of ['fz-2026', 'fz-2027']) {
        const pair = await generateKeyPairInToken(token, 'EC', keyName);
        chains.set(keyName, (await writeDepartmentChain(certsDir, ca, { department: TEST_DEPARTMENT, keyName, publicKey: pair.publicKey, now: pki.now })).certificateChain);
      }
    } finally {
      token.close();
    }
    const signers = provider();
    for (const [keyName, chain] of chains) {
      const signer = await signers.signerFor(keyName);
      expect(signer.certificate.fingerprint256).toBe(summarizeCertificate(chain[0]!).fingerprint256);
      expect(verifies(await signer.sign(DATA), chain)).toBe(true);
    }
    await expect(signers.signerFor(TEST_DEPARTMENT.creditCode)).rejects.toMatchObject({ code: 'ERR_SIGNER_KEY_MISSING' });
    await expect(signers.signerFor('../fz-2026')).rejects.toMatchObject({ code: 'ERR_SIGNER_KEY_MISSING' });
  });

  test('a token key that answers to the certificate’s CKA_ID but is another key is ERR_SIGNER_KEY_MISMATCH', async () => {
    const { makeDepartmentKey, provider, openToken } = await rig('RSA');
    const first = await makeDepartmentKey();
    const token = await openToken();
    try {
      const impostor = await generateKeyPairInToken(token, 'RSA', 'impostor');
      await token.withSession((binding, session) => {
        binding.C_FindObjectsInit(session, [{ type: CK.CKA_ID, value: Buffer.from(first.keyId) }]);
        const genuine = binding.C_FindObjects(session, 4);
        binding.C_FindObjectsFinal(session);
        for (const handle of genuine) binding.C_SetAttributeValue(session, handle, [{ type: CK.CKA_ID, value: Buffer.from('moved aside') }]);
        binding.C_SetAttributeValue(session, impostor.privateKeyHandle, [{ type: CK.CKA_ID, value: Buffer.from(first.keyId) }]);
      });
    } finally {
      token.close();
    }
    await expect(provider().signerFor(TEST_DEPARTMENT.creditCode)).rejects.toMatchObject({ code: 'ERR_SIGNER_KEY_MISMATCH' });
  });

  test('a wrong PIN is ERR_SIGNER_PIN and an unknown label ERR_SIGNER_TOKEN_MISSING, each logged once without the PIN; the right settings then work', async () => {
    const { makeDepartmentKey, provider, log, library } = await rig('RSA');
    await makeDepartmentKey();
    const wrongPin = 'fixture-wrong-pin';
    await expect(provider({ pin: wrongPin }).signerFor(TEST_DEPARTMENT.creditCode)).rejects.toMatchObject({
      code: 'ERR_SIGNER_PIN',
      message: expect.stringContaining('CKR_PIN_INCORRECT'),
    });
    await expect(provider({ tokenLabel: 'no-such-token' }).signerFor(TEST_DEPARTMENT.creditCode)).rejects.toMatchObject({ code: 'ERR_SIGNER_TOKEN_MISSING' });
    expect(log.lines().map((line) => [line.msg, line.code])).toEqual([
      ['PKCS#11 signer failed', 'ERR_SIGNER_PIN'],
      ['PKCS#11 signer failed', 'ERR_SIGNER_TOKEN_MISSING'],
    ]);
    expect(log.text()).not.toContain(wrongPin);
    expect(log.text()).not.toContain(TEST_HSM_USER_PIN);
    const signer = await provider().signerFor(TEST_DEPARTMENT.creditCode);
    await expect(signer.sign(DATA)).resolves.toBeInstanceOf(Uint8Array);
    await expect(library.connection()).resolves.toMatchObject({ generation: 3 });
  });

  test('C_Sign failing with CKR_DEVICE_ERROR is ERR_SIGNER_UNAVAILABLE, logged; the connection is started afresh and the next signature works', async () => {
    const { makeDepartmentKey, provider, loader, log } = await rig('RSA');
    const { chain } = await makeDepartmentKey();
    const signers = provider();
    const signer = await signers.signerFor(TEST_DEPARTMENT.creditCode);
    const initialized = loader.initializations;
    loader.failNextSigns('CKR_DEVICE_ERROR');
    await expect(signer.sign(DATA)).rejects.toMatchObject({ code: 'ERR_SIGNER_UNAVAILABLE', details: { call: 'C_Sign', reason: 'CKR_DEVICE_ERROR' } });
    expect(log.lines()).toEqual([
      expect.objectContaining({ level: 50, msg: 'PKCS#11 signer failed', code: 'ERR_SIGNER_UNAVAILABLE', detail: expect.stringContaining('CKR_DEVICE_ERROR') }),
    ]);
    // The broken signer is not handed out again: a new one on a new connection.
    const again = await signers.signerFor(TEST_DEPARTMENT.creditCode);
    expect(again).not.toBe(signer);
    expect(verifies(await again.sign(DATA), chain)).toBe(true);
    expect(loader.initializations).toBe(initialized + 1);
    await expect(signer.sign(DATA)).rejects.toMatchObject({ code: 'ERR_SIGNER_UNAVAILABLE' });
  });

  test('the token pulled out under a live signer: the signature fails, the token is missing until it is back, then signing works again', async () => {
    const { makeDepartmentKey, provider, hsm } = await rig('RSA');
    const { chain } = await makeDepartmentKey();
    const signers = provider();
    const signer = await signers.signerFor(TEST_DEPARTMENT.creditCode);
    const pulled = hsm.removeToken(LABEL);
    await expect(signer.sign(DATA)).rejects.toMatchObject({ code: 'ERR_SIGNER_UNAVAILABLE', details: { reason: expect.stringMatching(/^CKR_/) } });
    await expect(signers.signerFor(TEST_DEPARTMENT.creditCode)).rejects.toMatchObject({ code: 'ERR_SIGNER_TOKEN_MISSING' });
    pulled.restore();
    const again = await signers.signerFor(TEST_DEPARTMENT.creditCode);
    expect(verifies(await again.sign(DATA), chain)).toBe(true);
  });

  test('a library that cannot be loaded is ERR_SIGNER_UNAVAILABLE naming it', async () => {
    const { log, certsDir, clock, makeDepartmentKey } = await rig('RSA');
    await makeDepartmentKey();
    const missing = new Pkcs11Library('/nonexistent/libpkcs11.so');
    const signers = new Pkcs11SignerProvider({ library: missing, tokenLabel: LABEL, pin: TEST_HSM_USER_PIN, certsDir, clock, logger: log.logger });
    await expect(signers.signerFor(TEST_DEPARTMENT.creditCode)).rejects.toMatchObject({
      code: 'ERR_SIGNER_UNAVAILABLE',
      message: expect.stringContaining('/nonexistent/libpkcs11.so cannot be loaded'),
    });
    await missing.close();
  });
});

test('r ‖ s from CKM_ECDSA becomes the DER ECDSA-Sig-Value: minimal INTEGERs, a zero byte before a high bit; Node verifies it', () => {
  const r = Buffer.alloc(32);
  r[31] = 0x01;
  const s = Buffer.alloc(32);
  s[0] = 0x80;
  expect(Buffer.from(ecdsaSignatureToDer(Buffer.concat([r, s]))).toString('hex')).toBe(`30260201010221${'00'}${s.toString('hex')}`);

  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  for (let i = 0; i < 100; i += 1) {
    const data = Buffer.from(`attributes ${i}`);
    const der = ecdsaSignatureToDer(sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
    expect(verify('sha256', data, publicKey, der)).toBe(true);
  }
});
