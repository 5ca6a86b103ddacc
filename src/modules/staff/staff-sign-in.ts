import type { Principal, RequestOrigin, Role } from '../auth/index.js';

/** A person of the staff as the console shows them. */
export interface StaffUserView {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly department: { readonly creditCode: string; readonly name: string } | null;
  readonly totpEnrolled: boolean;
}

/** A live staff session, without its token. */
export interface StaffSessionView {
  readonly user: StaffUserView;
  /** ISO 8601: when it ends unless used before. */
  readonly idleExpiresAt: string;
  /** ISO 8601: when it ends whatever happens. */
  readonly expiresAt: string;
  /** Whether clerks may look holders up by number, or only redeem 用证码 (VAULT_LOOKUP_POLICY). */
  readonly lookupPolicy: 'number' | 'consent';
}

/** A session just opened: the token goes into the browser's HttpOnly cookie; the store keeps its hash only. */
export interface OpenedStaffSession {
  readonly status: 'signed-in';
  readonly token: string;
  readonly session: StaffSessionView;
}

/** A second factor to enrol before the first session: the secret travels sealed in the ticket, never stored until confirmed. */
export interface PendingTotpEnrolment {
  readonly status: 'enrol';
  readonly ticket: string;
  readonly secret: string;
  readonly otpauthUri: string;
}

export interface StaffCredentials {
  readonly username: string;
  readonly password: string;
  readonly otp?: string | undefined;
}

/**
 * Staff sign in as people: user name, password and a time-based one-time
 * password. Every sign-in, failure, lockout and sign-out is audited.
 */
export interface StaffSignIn {
  /**
   * ERR_STAFF_SIGN_IN_FAILED for an unknown user, a wrong password or code, a
   * disabled or waiting account, or a service account; ERR_STAFF_OTP_REQUIRED
   * when the password is right and a code is needed but none was given;
   * ERR_STAFF_LOCKED (with `retryAfterSeconds`) after repeated failures.
   */
  signIn(credentials: StaffCredentials, origin: RequestOrigin): Promise<OpenedStaffSession | PendingTotpEnrolment>;
  /** Stores the enrolled secret once the first code matches, and opens a session. ERR_STAFF_ENROLMENT_INVALID for a bad or expired ticket or code. */
  enrol(input: { readonly ticket: string; readonly otp: string }, origin: RequestOrigin): Promise<OpenedStaffSession>;
  /** The principal and session of a live token, its idle time renewed; null when none. */
  resolve(token: string, origin: RequestOrigin): Promise<{ readonly principal: Principal; readonly session: StaffSessionView } | null>;
  /** Ends the session of `token` (audited when there was one); answers 1, or 0 when it signed no one in. */
  signOut(token: string, origin: RequestOrigin): Promise<number>;
  /** Ends every session of the principal's account; answers how many. */
  signOutEverywhere(principal: Principal): Promise<number>;
}
