import { otpauthTotp } from '../../src/adapters/totp/otpauth-totp.js';
import type { VaultStore } from '../../src/composition/vault-store.js';
import { insertAccount, prepareAccount, SYSTEM_ACTOR, type AccountKind, type Role } from '../../src/modules/auth/index.js';
import { StaffSeal, stepOf } from '../../src/modules/staff/index.js';
import type { Clock } from '../../src/shared/clock.js';

export interface TestPerson {
  readonly username: string;
  readonly password: string;
  /** Base32; null when not enrolled. */
  readonly totpSecret: string | null;
}

/**
 * TEST FIXTURE: an approved account (a person unless `kind` says otherwise),
 * made by the host as the demo set-up makes its staff; enrolled with a fresh
 * TOTP secret sealed under `key` unless `enrolled` is false.
 */
export async function createPerson(
  store: Pick<VaultStore, 'transaction'>,
  key: Uint8Array,
  person: { readonly username: string; readonly role: Role; readonly department?: string | null; readonly enrolled?: boolean; readonly kind?: AccountKind; readonly at?: Date },
): Promise<TestPerson> {
  const at = person.at ?? new Date('2026-11-21T02:00:00Z');
  const { record, clientSecret } = await prepareAccount(
    { clientId: person.username, kind: person.kind ?? 'person', role: person.role, department: person.department ?? null, displayName: `测试${person.username}` },
    at,
    SYSTEM_ACTOR,
  );
  const totpSecret = person.enrolled === false ? null : otpauthTotp.generateSecret();
  const stored =
    totpSecret === null
      ? record
      : { ...record, totp: { sealedSecret: new StaffSeal(key).seal('totp-secret', person.username, totpSecret), enrolledAt: at.toISOString(), lastStep: 0 } };
  await store.transaction((tx) => insertAccount(tx, stored, SYSTEM_ACTOR));
  return { username: person.username, password: clientSecret, totpSecret };
}

/** The code an app enrolled with `secret` shows at the clock's time, `steps` time steps (of 30 s) away. */
export function codeAt(secret: string, clock: Clock, steps = 0): string {
  return otpauthTotp.codeAt(secret, stepOf(clock.now()) + steps);
}
