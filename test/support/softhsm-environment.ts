import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestEnvironment } from 'jest-environment-node';

/**
 * Jest's node environment, plus SOFTHSM2_CONF in the worker's real
 * environment. SoftHSM2 reads that variable with getenv() at C_Initialize,
 * and a test's `process.env` is only jest's copy, so a test file that loads
 * SoftHSM in its own process selects this environment with the docblock
 * `@jest-environment ./test/support/softhsm-environment.ts`; the tests then
 * write the file it names (test/support/softhsm.ts) before each C_Initialize.
 */
export default class SoftHsmEnvironment extends TestEnvironment {
  private readonly confDir = mkdtempSync(join(tmpdir(), 'vault-softhsm-conf-'));

  constructor(...args: ConstructorParameters<typeof TestEnvironment>) {
    super(...args);
    process.env.SOFTHSM2_CONF = join(this.confDir, 'softhsm2.conf');
    this.global.process.env.SOFTHSM2_CONF = process.env.SOFTHSM2_CONF;
  }

  override async teardown(): Promise<void> {
    delete process.env.SOFTHSM2_CONF;
    rmSync(this.confDir, { recursive: true, force: true });
    await super.teardown();
  }
}
