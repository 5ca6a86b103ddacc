import { loadOrCreateStaffKey } from '../adapters/keys/staff-key.js';
import { qrcodeEncoder } from '../adapters/qr/qrcode-encoder.js';
import { otpauthTotp } from '../adapters/totp/otpauth-totp.js';
import type { Config } from '../config/index.js';
import { qrSvg } from '../http/qr-svg.js';
import type { SecurityEventRecorder } from '../modules/audit/index.js';
import type { SecretCheckGate } from '../modules/auth/index.js';
import { StaffLockout, StaffSeal, StaffSessions, StaffSignInService } from '../modules/staff/index.js';
import type { Clock } from '../shared/clock.js';
import type { DemoStaffTotp } from '../setup/demo-setup.js';
import type { Logger } from '../shared/logger.js';
import type { VaultStore } from './vault-store.js';

export interface StaffSignInParts {
  readonly signIn: StaffSignInService;
  readonly sessions: StaffSessions;
  readonly lockout: StaffLockout;
}

export interface StaffSignInOptions {
  readonly store: Pick<VaultStore, 'accounts' | 'departments' | 'staffSessions' | 'staffSignInFailures' | 'transaction'>;
  readonly clock: Clock;
  readonly securityEvents: Pick<SecurityEventRecorder, 'record' | 'write'>;
  readonly secretChecks?: SecretCheckGate | undefined;
}

/** Staff sign-in over the store with a given seal key (tests pass their own). */
export function staffSignInWith(config: Pick<Config, 'staff' | 'lookupPolicy'>, key: Uint8Array, options: StaffSignInOptions): StaffSignInParts {
  const { staff } = config;
  const sessions = new StaffSessions(options.store.staffSessions, options.clock, { idleMs: staff.idleMinutes * 60_000, lifetimeMs: staff.sessionHours * 3_600_000 });
  const lockout = new StaffLockout(options.store.staffSignInFailures, options.clock, { failures: staff.lockoutFailures, windowMs: staff.lockoutMinutes * 60_000 });
  const signIn = new StaffSignInService({
    store: options.store,
    sessions,
    lockout,
    seal: new StaffSeal(key),
    totp: otpauthTotp,
    securityEvents: options.securityEvents,
    clock: options.clock,
    totpRoles: staff.totpRoles,
    lookupPolicy: config.lookupPolicy,
    secretChecks: options.secretChecks,
  });
  return { signIn, sessions, lockout };
}

/** The key that seals staff TOTP secrets, `{certsDir}/staff-totp.key` (made on first start). */
export async function loadStaffKey(config: Pick<Config, 'certsDir'>, logger: Logger): Promise<Uint8Array> {
  const key = await loadOrCreateStaffKey(config.certsDir);
  if (key.created) logger.warn('created the staff TOTP key: API nodes must share this file; keep it with the keys, never with the store', { file: key.file });
  return key.key;
}

/** How the demo set-up enrols its staff: secrets as an app gets them, sealed as the store keeps them. */
export function demoStaffTotp(key: Uint8Array): DemoStaffTotp {
  const seal = new StaffSeal(key);
  return { generateSecret: () => otpauthTotp.generateSecret(), seal: (clientId, secret) => seal.seal('totp-secret', clientId, secret) };
}

/** Ended sessions and passed lockout windows resolve to nothing already; sweeping only keeps the tables small. */
export async function sweepStaffSignIn(parts: Pick<StaffSignInParts, 'sessions' | 'lockout'>): Promise<void> {
  await parts.sessions.sweep();
  await parts.lockout.sweep();
}

/** An enrolment's otpauth URI as the SVG QR code the console shows. */
export function totpQrSvg(otpauthUri: string): string {
  return qrSvg(qrcodeEncoder.encode(otpauthUri), '动态口令绑定二维码');
}
