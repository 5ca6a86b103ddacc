/**
 * Staff: the people who sign in to the console, their sessions, lockout and
 * second factor.
 */
export type { OpenedStaffSession, PendingTotpEnrolment, StaffCredentials, StaffSessionView, StaffSignIn, StaffUserView } from './staff-sign-in.js';
export type { SignInFailureCount, SignInFailureRepository, StaffSessionRecord, StaffSessionRepository } from './staff-session-record.js';
export { StaffSessions, TOUCH_INTERVAL_MS } from './staff-sessions.js';
export type { SessionSubject, StaffSessionLimits } from './staff-sessions.js';
export { StaffLockout } from './staff-lockout.js';
export type { LockoutLimits } from './staff-lockout.js';
export { StaffSeal, STAFF_KEY_BYTES } from './staff-seal.js';
export type { SealPurpose } from './staff-seal.js';
export { matchingStep, stepOf, TOTP_DIGITS, TOTP_ISSUER, TOTP_PERIOD_SECONDS, TOTP_WINDOW_STEPS } from './totp.js';
export type { TotpAlgorithm } from './totp.js';
export { ENROLMENT_TICKET_MS, StaffSignInService } from './staff-sign-in-service.js';
export type { StaffSignInDependencies } from './staff-sign-in-service.js';
