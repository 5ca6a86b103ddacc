import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { verifyDummySecret, verifySecret } from '../../modules/auth/index.js';
import type { HolderType } from '../../modules/identity/index.js';

/** The file under VAULT_DATA_DIR where the demo set-up keeps the development provider's holders. */
export const DEV_IDP_HOLDERS_FILE = 'dev-idp-holders.json';

/**
 * A person or company the development provider can sign in: the number is
 * kept as typed (the provider vouches for it as a real platform would, and
 * the vault checks it), the password only as an scrypt hash.
 */
export interface DevIdpHolder {
  readonly type: HolderType;
  readonly number: string;
  readonly name: string;
  readonly passwordHash: string;
}

/** A holder as the provider's accounts see them: `sub` is opaque and stable, as a platform's would be. */
export interface DevIdpAccount extends DevIdpHolder {
  readonly sub: string;
}

/** The development provider's accounts, found by the number typed at sign-in or by their subject. */
export class DevIdpHolderDirectory {
  private readonly byNumber = new Map<string, DevIdpAccount>();
  private readonly bySub = new Map<string, DevIdpAccount>();

  constructor(holders: readonly DevIdpHolder[]) {
    for (const holder of holders) {
      const account = { ...holder, sub: createHash('sha256').update(`dev-idp:${holder.type}:${holder.number}`).digest('base64url').slice(0, 22) };
      this.byNumber.set(holder.number.toUpperCase(), account);
      this.bySub.set(account.sub, account);
    }
  }

  /** The account whose number and password these are, or null; takes the time of a password check either way. */
  async signIn(number: string, password: string): Promise<DevIdpAccount | null> {
    const account = this.byNumber.get(number.trim().toUpperCase());
    if (!account) return verifyDummySecret(password).then(() => null);
    return (await verifySecret(password, account.passwordHash)) ? account : null;
  }

  bySubject(sub: string): DevIdpAccount | undefined {
    return this.bySub.get(sub);
  }
}

/** The holders the demo set-up wrote to `{dataDir}/dev-idp-holders.json`; none when it has not (yet). */
export async function readDevIdpHolders(dataDir: string): Promise<DevIdpHolder[]> {
  const text = await readFile(join(dataDir, DEV_IDP_HOLDERS_FILE), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '[]';
    throw error;
  });
  return JSON.parse(text) as DevIdpHolder[];
}
