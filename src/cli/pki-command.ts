import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRootCaFiles, issueDepartmentCredential, issuePlatformCredential, listPki, pkiPaths } from '../adapters/pki/pki-directory.js';
import type { KeyAlgorithm } from '../adapters/pki/x509/index.js';
import { loadConfig, requirePkcs11, type Config } from '../config/index.js';
import { SIGNING_KEY_NAME } from '../modules/departments/index.js';
import { parseCreditCode } from '../modules/identity/index.js';
import type { CertificateSummary } from '../modules/signing/index.js';
import { ConfigError } from '../shared/errors.js';
import { UsageError, type CommandIo } from './usage-error.js';

export const PKI_USAGE = `license-vault pki init [--algorithm rsa|ec] [--common-name NAME] [--organization NAME]
license-vault pki department --credit-code CODE --name NAME [--key-name NAME] [--algorithm rsa|ec] [--years N] [--force] [--pkcs11]
license-vault pki platform [--algorithm rsa|ec] [--years N] [--force]
license-vault pki list [--json]

Key stores are PKCS#12 under VAULT_CERTS_DIR, protected by VAULT_P12_PASSWORD
(or the development password file the vault made on first start). With
--pkcs11 the department's key is made inside the PKCS#11 token named by
VAULT_PKCS11_LIBRARY, VAULT_PKCS11_TOKEN_LABEL and VAULT_PKCS11_PIN (never
extractable); only its certificate chain is written, as departments/CODE.pem.
The root CA stays a key store either way. --key-name names the credential
(departments/NAME.p12 or .pem; default the credit code): a department signs
with the one its signingKey names (license-vault admin department update
--signing-key NAME), so a new key can be made beside the old one and switched to.`;

function algorithmOf(value: string | undefined): KeyAlgorithm {
  if (value === undefined || value === 'rsa') return 'RSA';
  if (value === 'ec') return 'EC';
  throw new UsageError(`--algorithm must be rsa or ec, not ${value}`);
}

async function passwordFor(certsDir: string, configured: string | undefined): Promise<string> {
  if (configured !== undefined) return configured;
  const stored = await readFile(join(certsDir, 'dev-pki-password'), 'utf8').catch(() => null);
  if (stored !== null) return stored.trim();
  throw new ConfigError('ERR_CONFIG_INVALID', 'VAULT_P12_PASSWORD: required to create or open key stores', { variable: 'VAULT_P12_PASSWORD' });
}

function describe(summary: CertificateSummary): string {
  return `${summary.subject}\n  fingerprint SHA-256 ${summary.fingerprint256}\n  valid ${summary.notBefore} – ${summary.notAfter}`;
}

/** `pki department --pkcs11`: the key made in the configured token, its chain written beside the key stores. */
async function departmentKeyInToken(
  config: Config,
  request: { department: { name: string; creditCode: string }; keyName: string; algorithm: KeyAlgorithm; password: string; now: Date; years: number; force: boolean },
  io: CommandIo,
): Promise<void> {
  const settings = requirePkcs11(config, '--pkcs11');
  // The native binding is loaded by the commands that need it only.
  const { issueDepartmentKeyInToken, Pkcs11Library } = await import('../adapters/pki/pkcs11/index.js');
  const library = new Pkcs11Library(settings.library);
  try {
    const made = await issueDepartmentKeyInToken(config.certsDir, { ...request, library, tokenLabel: settings.tokenLabel, pin: settings.pin });
    io.out(
      `signing key ${request.keyName} for ${request.department.name} (${request.department.creditCode}) made in token "${settings.tokenLabel}" (CKA_ID ${made.keyId}), certificate chain written to ${made.file}\n${describe(made.summary)}\n`,
    );
  } finally {
    await library.close();
  }
}

/** `license-vault pki …`: the installation's root CA, department signing keys and the trust list. */
export async function runPkiCommand(args: readonly string[], io: CommandIo): Promise<void> {
  const [action, ...rest] = args;
  const config = loadConfig(io.env);
  const certsDir = config.certsDir;
  switch (action) {
    case 'init': {
      const { values } = parseArgs({ args: rest, options: { algorithm: { type: 'string' }, 'common-name': { type: 'string' }, organization: { type: 'string' } }, strict: true });
      const password = await passwordFor(certsDir, config.p12Password);
      const summary = await createRootCaFiles(certsDir, {
        commonName: values['common-name'] ?? 'License Vault Root CA',
        organization: values.organization ?? '电子证照库',
        algorithm: algorithmOf(values.algorithm),
        password,
        now: io.now(),
      });
      io.out(`root CA created in ${pkiPaths(certsDir).rootCaFile}, trusted in ${pkiPaths(certsDir).trustDir}\n${describe(summary)}\n`);
      return;
    }
    case 'department': {
      const { values } = parseArgs({
        args: rest,
        options: {
          'credit-code': { type: 'string' },
          name: { type: 'string' },
          'key-name': { type: 'string' },
          algorithm: { type: 'string' },
          years: { type: 'string' },
          force: { type: 'boolean' },
          pkcs11: { type: 'boolean' },
        },
        strict: true,
      });
      const name = values.name?.trim();
      if (!values['credit-code'] || !name) throw new UsageError('--credit-code and --name are required');
      const years = values.years === undefined ? 3 : Number(values.years);
      if (!Number.isInteger(years) || years < 1 || years > 10) throw new UsageError('--years must be a whole number from 1 to 10');
      const creditCode = parseCreditCode(values['credit-code']).value;
      const keyName = values['key-name'] ?? creditCode;
      if (!SIGNING_KEY_NAME.test(keyName)) throw new UsageError('--key-name must be 1–100 letters, digits, . _ - (a file name, no path)');
      const password = await passwordFor(certsDir, config.p12Password);
      const request = { department: { name, creditCode }, keyName, algorithm: algorithmOf(values.algorithm), password, now: io.now(), years, force: values.force ?? false };
      if (values.pkcs11) {
        await departmentKeyInToken(config, request, io);
        return;
      }
      const issued = await issueDepartmentCredential(certsDir, request);
      io.out(`signing key ${keyName} for ${name} (${creditCode}) written to ${issued.file}\n${describe(issued.summary)}\n`);
      return;
    }
    case 'platform': {
      const { values } = parseArgs({ args: rest, options: { algorithm: { type: 'string' }, years: { type: 'string' }, force: { type: 'boolean' } }, strict: true });
      const years = values.years === undefined ? 3 : Number(values.years);
      if (!Number.isInteger(years) || years < 1 || years > 10) throw new UsageError('--years must be a whole number from 1 to 10');
      const password = await passwordFor(certsDir, config.p12Password);
      const issued = await issuePlatformCredential(certsDir, { algorithm: algorithmOf(values.algorithm), password, now: io.now(), years, force: values.force ?? false });
      io.out(`the platform's annotated-copy (加注件) signing key written to ${issued.file}\n${describe(issued.summary)}\n`);
      return;
    }
    case 'list': {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } }, strict: true });
      const { roots, departments, tokenDepartments } = await listPki(certsDir);
      if (values.json) {
        io.out(`${JSON.stringify({ roots: roots.map((root) => root.summary), departments, tokenDepartments }, null, 2)}\n`);
        return;
      }
      io.out(
        `trusted roots (${roots.length}):\n${roots.map((root) => `- ${describe(root.summary)}`).join('\n')}\ndepartment key stores (${departments.length}):\n${departments.map((code) => `- ${code}`).join('\n')}\n`,
      );
      if (tokenDepartments.length > 0) io.out(`department keys in a PKCS#11 token (${tokenDepartments.length}):\n${tokenDepartments.map((code) => `- ${code}`).join('\n')}\n`);
      return;
    }
    case undefined:
      throw new UsageError('pki needs an action');
    default:
      throw new UsageError(`unknown pki action ${action}`);
  }
}
