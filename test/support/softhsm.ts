import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * TEST FIXTURE: SoftHSM2 tokens in a temp directory, for the PKCS#11 tests.
 * SoftHSM2 comes from Debian (`.ci/run` installs softhsm2); when it is
 * missing these helpers throw, so the tests fail instead of skipping.
 */

/** Debian's SoftHSM2 PKCS#11 module. */
export const SOFTHSM_LIBRARY = '/usr/lib/softhsm/libsofthsm2.so';
/** TEST FIXTURE PIN of the tokens' user: never a real secret. */
export const TEST_HSM_USER_PIN = 'fixture-user-pin';
/** TEST FIXTURE PIN of the tokens' security officer: never a real secret. */
export const TEST_HSM_SO_PIN = 'fixture-so-pin';

export interface SoftHsm {
  readonly dir: string;
  /** The softhsm2.conf the module reads (SOFTHSM2_CONF). */
  readonly confFile: string;
  /** What a child process needs in its environment to see these tokens. */
  readonly env: { readonly SOFTHSM2_CONF: string };
  /** Initialises a token labelled `label` in the first free slot, with the fixture PINs. */
  createToken(label: string, userPin?: string): void;
  /** Moves the token's files away, as if it were pulled out; `restore` puts them back. */
  removeToken(label: string): { restore(): void };
  /** softhsm2-util / pkcs11-tool, run with this conf. */
  run(command: string, args: readonly string[]): string;
  dispose(): void;
}

/**
 * A fresh SoftHSM2 configuration: file object store, tokens under a new temp
 * directory. Its softhsm2.conf is written twice: in the temp directory, for
 * child processes (`env`), and at the SOFTHSM2_CONF of this process, set by
 * test/support/softhsm-environment.ts, for the module loaded here, which
 * reads it at C_Initialize: so make it before the library is initialised,
 * and finalise the library before the next test makes another.
 */
export function createSoftHsm(): SoftHsm {
  if (!existsSync(SOFTHSM_LIBRARY)) throw new Error(`SoftHSM2 is not installed (${SOFTHSM_LIBRARY} is missing): .ci/run installs the Debian package softhsm2`);
  const processConf = process.env.SOFTHSM2_CONF;
  if (processConf === undefined) throw new Error('SOFTHSM2_CONF is not set: give the test file the docblock `@jest-environment ./test/support/softhsm-environment.ts`');
  const dir = mkdtempSync(join(tmpdir(), 'vault-softhsm-'));
  const tokenDir = join(dir, 'tokens');
  const removedDir = join(dir, 'removed');
  mkdirSync(tokenDir);
  mkdirSync(removedDir);
  const confFile = join(dir, 'softhsm2.conf');
  const conf = `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`;
  writeFileSync(confFile, conf);
  writeFileSync(processConf, conf);
  const env = { SOFTHSM2_CONF: confFile };
  const tokenDirs = new Map<string, string>();
  const run = (command: string, args: readonly string[]): string =>
    execFileSync(command, args, { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  return {
    dir,
    confFile,
    env,
    run,
    createToken: (label, userPin = TEST_HSM_USER_PIN) => {
      const before = new Set(readdirSync(tokenDir));
      run('softhsm2-util', ['--init-token', '--free', '--label', label, '--so-pin', TEST_HSM_SO_PIN, '--pin', userPin]);
      const made = readdirSync(tokenDir).find((name) => !before.has(name));
      if (!made) throw new Error(`softhsm2-util made no token directory for ${label}`);
      tokenDirs.set(label, made);
    },
    removeToken: (label) => {
      const name = tokenDirs.get(label);
      if (!name) throw new Error(`no token ${label} made here`);
      renameSync(join(tokenDir, name), join(removedDir, name));
      return { restore: () => renameSync(join(removedDir, name), join(tokenDir, name)) };
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
