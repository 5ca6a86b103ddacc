import type { AuditActor, SecurityEventRecorder } from '../audit/index.js';
import { auditActor } from '../audit/index.js';
import {
  ANONYMOUS,
  isUsable,
  isValidClientId,
  kindOf,
  SecretCheckGate,
  tokenVersionOf,
  verifyDummySecret,
  verifySecret,
  type AccountRecord,
  type AccountRepository,
  type Principal,
  type RequestOrigin,
  type Role,
} from '../auth/index.js';
import type { DepartmentRepository } from '../departments/index.js';
import type { Clock } from '../../shared/clock.js';
import { AuthenticationError } from '../../shared/errors.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import type { StaffSeal } from './staff-seal.js';
import type { StaffLockout } from './staff-lockout.js';
import type { StaffSessionRecord } from './staff-session-record.js';
import type { StaffSessions } from './staff-sessions.js';
import type { OpenedStaffSession, PendingTotpEnrolment, StaffCredentials, StaffSessionView, StaffSignIn } from './staff-sign-in.js';
import { matchingStep, TOTP_ISSUER, type TotpAlgorithm } from './totp.js';

/** An enrolment must be finished within this time after the sign-in that began it. */
export const ENROLMENT_TICKET_MS = 10 * 60_000;
/** How much of a typed user name the audit log keeps. */
const NAME_KEPT = 64;

export interface StaffSignInDependencies {
  readonly store: UnitOfWork<{ readonly accounts: AccountRepository }> & {
    readonly accounts: Pick<AccountRepository, 'get'>;
    readonly departments: Pick<DepartmentRepository, 'get'>;
  };
  readonly sessions: StaffSessions;
  readonly lockout: StaffLockout;
  /** Seals TOTP secrets at rest and enrolment tickets. */
  readonly seal: StaffSeal;
  readonly totp: TotpAlgorithm;
  readonly securityEvents: Pick<SecurityEventRecorder, 'record' | 'write'>;
  readonly clock: Clock;
  /** Roles that must sign in with a one-time password (VAULT_STAFF_TOTP_ROLES); anyone enrolled gives one too. */
  readonly totpRoles: readonly Role[];
  /** VAULT_LOOKUP_POLICY, which the console shows. */
  readonly lookupPolicy: 'number' | 'consent';
  /** Caps the scrypt checks running at once; share the token endpoint's. */
  readonly secretChecks?: SecretCheckGate | undefined;
}

interface EnrolmentTicket {
  readonly username: string;
  readonly secret: string;
  readonly tokenVersion: number;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

type Refusal = 'ERR_STAFF_SIGN_IN_FAILED' | 'ERR_STAFF_OTP_REQUIRED';

function failed(code: Refusal = 'ERR_STAFF_SIGN_IN_FAILED'): AuthenticationError {
  return new AuthenticationError(code);
}

function locked(retryAfterSeconds: number): AuthenticationError {
  return new AuthenticationError('ERR_STAFF_LOCKED', `too many failed sign-ins: try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
}

function enrolmentInvalid(): AuthenticationError {
  return new AuthenticationError('ERR_STAFF_ENROLMENT_INVALID');
}

/** Whether a person may sign in to the console: approved, enabled, and bound to a department exactly when the role asks for one. */
function canSignIn(account: AccountRecord): boolean {
  if (kindOf(account) !== 'person' || !isUsable(account)) return false;
  return account.role === 'issuer' ? account.department !== null : account.department === null || account.role === 'clerk';
}

/** The typed user name as the audit log may keep it: bounded, without control characters. */
function typedName(username: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  return username.slice(0, NAME_KEPT).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/**
 * Staff sign in as people: user name (the account's client id), password
 * (its scrypt secret) and, for the roles that need one or anyone who has
 * enrolled one, a time-based one-time password. Every sign-in, refusal,
 * lockout, enrolment and sign-out is written to the audit log.
 */
export class StaffSignInService implements StaffSignIn {
  private readonly gate: SecretCheckGate;

  constructor(private readonly deps: StaffSignInDependencies) {
    this.gate = deps.secretChecks ?? new SecretCheckGate();
    // Compute the dummy hash now, so the first unknown user name costs no more than a known one.
    void verifyDummySecret('').catch(() => undefined);
  }

  async signIn(credentials: StaffCredentials, origin: RequestOrigin): Promise<OpenedStaffSession | PendingTotpEnrolment> {
    const { username, password, otp } = credentials;
    const lockedFor = await this.deps.lockout.lockedFor(username);
    if (lockedFor > 0) {
      await this.refused(username, null, origin, 'ERR_STAFF_LOCKED');
      throw locked(lockedFor);
    }
    const account = isValidClientId(username) ? await this.deps.store.accounts.get(username) : null;
    // Always pay for one scrypt, so timing reveals neither which names exist nor which accounts can sign in.
    const matches = await this.gate.run(() => (account ? verifySecret(password, account.secretHash) : verifyDummySecret(password)));
    if (!account || !matches || !canSignIn(account)) return this.fail(username, account, origin, 'ERR_STAFF_SIGN_IN_FAILED');

    if (account.totp !== undefined) {
      if (otp === undefined) return this.fail(username, account, origin, 'ERR_STAFF_OTP_REQUIRED');
      if (!(await this.acceptCode(account, otp))) return this.fail(username, account, origin, 'ERR_STAFF_SIGN_IN_FAILED');
    } else if (this.deps.totpRoles.includes(account.role)) {
      return this.beginEnrolment(account);
    }
    await this.deps.lockout.succeed(username);
    return this.openSession(account, origin, 'staff.sign-in');
  }

  async enrol(input: { readonly ticket: string; readonly otp: string }, origin: RequestOrigin): Promise<OpenedStaffSession> {
    const ticket = this.openTicket(input.ticket);
    if (!ticket) throw enrolmentInvalid();
    const now = this.deps.clock.now();
    const step = matchingStep(this.deps.totp, ticket.secret, input.otp, now);
    const enrolled = await this.deps.store.transaction(async (tx) => {
      const account = await tx.accounts.get(ticket.username);
      if (!account || !canSignIn(account) || account.totp !== undefined || tokenVersionOf(account) !== ticket.tokenVersion || step === null) return null;
      const next: AccountRecord = {
        ...account,
        totp: { sealedSecret: this.deps.seal.seal('totp-secret', account.clientId, ticket.secret), enrolledAt: now.toISOString(), lastStep: step },
      };
      await tx.accounts.update(next);
      return next;
    });
    if (!enrolled) {
      await this.refused(ticket.username, null, origin, 'ERR_STAFF_ENROLMENT_INVALID');
      throw enrolmentInvalid();
    }
    await this.deps.lockout.succeed(enrolled.clientId);
    await this.deps.securityEvents.write({ action: 'staff.totp.enrolled', actor: this.actor(enrolled, origin), target: enrolled.clientId, details: {} });
    return this.openSession(enrolled, origin, 'staff.sign-in');
  }

  async resolve(token: string, origin: RequestOrigin): Promise<{ readonly principal: Principal; readonly session: StaffSessionView } | null> {
    const record = await this.deps.sessions.use(token);
    if (!record) return null;
    const account = await this.deps.store.accounts.get(record.username);
    // The same rule as bearer tokens: a disabled or waiting account, or one whose token version, role or department changed, ends its sessions.
    if (!account || !canSignIn(account) || tokenVersionOf(account) !== record.tokenVersion || account.role !== record.role || account.department !== record.department) {
      await this.deps.sessions.end(record);
      return null;
    }
    const principal: Principal = { clientId: account.clientId, role: account.role, department: account.department, origin };
    return { principal, session: await this.viewOf(account, record) };
  }

  async signOut(token: string, origin: RequestOrigin): Promise<number> {
    const record = await this.deps.sessions.use(token);
    const ended = await this.deps.sessions.close(token);
    if (ended > 0 && record) {
      await this.deps.securityEvents.write({ action: 'staff.sign-out', actor: auditActor(record.username, record.role, origin), target: record.username, details: {} });
    }
    return ended;
  }

  async signOutEverywhere(principal: Principal): Promise<number> {
    const ended = await this.deps.sessions.closeAll(principal.clientId);
    await this.deps.securityEvents.write({
      action: 'staff.sign-out-everywhere',
      actor: auditActor(principal.clientId, principal.role, principal.origin),
      target: principal.clientId,
      details: { sessionsEnded: ended },
    });
    return ended;
  }

  /** Checks `otp` against the enrolled secret and records its step, in one transaction: the same code is accepted once, whichever node sees it. */
  private async acceptCode(account: AccountRecord, otp: string): Promise<boolean> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (tx) => {
      const current = await tx.accounts.get(account.clientId);
      const secret = current?.totp ? this.deps.seal.open('totp-secret', current.clientId, current.totp.sealedSecret) : null;
      if (!current?.totp || secret === null) return false;
      const step = matchingStep(this.deps.totp, secret, otp, now, current.totp.lastStep);
      if (step === null) return false;
      await tx.accounts.update({ ...current, totp: { ...current.totp, lastStep: step } });
      return true;
    });
  }

  private beginEnrolment(account: AccountRecord): PendingTotpEnrolment {
    const secret = this.deps.totp.generateSecret();
    const ticket: EnrolmentTicket = {
      username: account.clientId,
      secret,
      tokenVersion: tokenVersionOf(account),
      expiresAt: this.deps.clock.now().getTime() + ENROLMENT_TICKET_MS,
    };
    return {
      status: 'enrol',
      ticket: this.deps.seal.seal('totp-enrolment', '', JSON.stringify(ticket)),
      secret,
      otpauthUri: this.deps.totp.uri(secret, TOTP_ISSUER, account.clientId),
    };
  }

  private openTicket(sealed: string): EnrolmentTicket | null {
    const text = this.deps.seal.open('totp-enrolment', '', sealed);
    if (text === null) return null;
    const ticket = JSON.parse(text) as EnrolmentTicket;
    return ticket.expiresAt > this.deps.clock.now().getTime() ? ticket : null;
  }

  private async openSession(account: AccountRecord, origin: RequestOrigin, action: string): Promise<OpenedStaffSession> {
    const { token, record } = await this.deps.sessions.open({
      username: account.clientId,
      role: account.role,
      department: account.department,
      tokenVersion: tokenVersionOf(account),
    });
    await this.deps.securityEvents.write({ action, actor: this.actor(account, origin), target: account.clientId, details: { totp: account.totp !== undefined } });
    return { status: 'signed-in', token, session: await this.viewOf(account, record) };
  }

  /** Counts the failure, audits it, and throws: ERR_STAFF_LOCKED when this failure locks the name. */
  private async fail(username: string, account: AccountRecord | null, origin: RequestOrigin, code: Refusal): Promise<never> {
    const lockSeconds = await this.deps.lockout.fail(username);
    await this.refused(username, account, origin, code);
    if (lockSeconds > 0) {
      const { failures, windowMs } = this.deps.lockout.limits;
      await this.deps.securityEvents.write({
        action: 'staff.lockout',
        actor: this.actor(account, origin),
        target: typedName(username),
        details: { failures, windowSeconds: windowMs / 1000, retryAfterSeconds: lockSeconds },
      });
      throw locked(lockSeconds);
    }
    throw failed(code);
  }

  private refused(username: string, account: AccountRecord | null, origin: RequestOrigin, code: string): Promise<void> {
    return this.deps.securityEvents.record({ action: 'staff.sign-in.refused', actor: this.actor(account, origin), target: typedName(username), details: { code } });
  }

  /** The account when it is a person's (so that a service account's name is not confirmed either), else anonymous. */
  private actor(account: AccountRecord | null, origin: RequestOrigin): AuditActor {
    return account && kindOf(account) === 'person' ? auditActor(account.clientId, account.role, origin) : auditActor(ANONYMOUS.id, ANONYMOUS.role, origin);
  }

  private async viewOf(account: AccountRecord, record: StaffSessionRecord): Promise<StaffSessionView> {
    const department = account.department === null ? null : await this.deps.store.departments.get(account.department);
    return {
      user: {
        username: account.clientId,
        displayName: account.displayName,
        role: account.role,
        department: department ? { creditCode: department.creditCode, name: department.name } : null,
        totpEnrolled: account.totp !== undefined,
      },
      idleExpiresAt: new Date(this.deps.sessions.idleEnd(record)).toISOString(),
      expiresAt: record.expiresAt,
      lookupPolicy: this.deps.lookupPolicy,
    };
  }
}
