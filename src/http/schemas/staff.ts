import { z } from 'zod';
import { MAX_SECRET_LENGTH, ROLES } from '../../modules/auth/index.js';
import { named } from './common.js';

/** 账号 + 密码 + 动态口令 (RFC 6238, six digits; left out by someone who has not enrolled one and whose role does not need it). */
export const StaffSignInRequest = z.strictObject({
  username: z.string().min(1).max(200).describe('账号'),
  password: z.string().min(1).max(MAX_SECRET_LENGTH).describe('密码'),
  otp: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .describe('动态口令: the six digits the authenticator app shows now'),
});
export type StaffSignInRequest = z.infer<typeof StaffSignInRequest>;

/** Finishing the enrolment of an authenticator app: the ticket the sign-in gave and the first code the app shows. */
export const TotpEnrolmentRequest = z.strictObject({
  ticket: z.string().min(1).max(2048).describe('The enrolment ticket from the sign-in answer'),
  otp: z
    .string()
    .regex(/^\d{6}$/)
    .describe('The six digits the newly enrolled app shows now'),
});
export type TotpEnrolmentRequest = z.infer<typeof TotpEnrolmentRequest>;

export const StaffUser = named(
  'StaffUser',
  z.strictObject({
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    department: z.strictObject({ creditCode: z.string(), name: z.string() }).nullable().describe('The department an issuer acts for or a clerk serves at'),
    totpEnrolled: z.boolean(),
  }),
);
export type StaffUser = z.infer<typeof StaffUser>;

export const StaffSession = named(
  'StaffSession',
  z.strictObject({
    user: StaffUser,
    idleExpiresAt: z.iso.datetime({ offset: true }).describe('When the session ends unless used before (15 minutes idle by default)'),
    expiresAt: z.iso.datetime({ offset: true }).describe('When the session ends whatever happens (8 hours after sign-in by default)'),
    lookupPolicy: z.enum(['number', 'consent']).describe('VAULT_LOOKUP_POLICY: whether clerks may look holders up by number, or only redeem 用证码'),
  }),
);
export type StaffSession = z.infer<typeof StaffSession>;

export const TotpEnrolment = named(
  'TotpEnrolment',
  z.strictObject({
    ticket: z.string().describe('Send it back with the first code (POST /api/v1/staff/totp-enrolment); valid ten minutes'),
    secret: z.string().describe('The new shared secret, base32, for typing into an app that cannot scan'),
    otpauthUri: z.string().describe('otpauth://totp/… (RFC 6238: SHA-1, 6 digits, 30 s), for the QR code'),
    qrSvg: z.string().describe('The otpauth URI as an SVG QR code'),
  }),
);
export type TotpEnrolment = z.infer<typeof TotpEnrolment>;

/** What signing in answers: a session (the cookie is set), or, for someone whose role needs a second factor and who has none yet, an enrolment to finish. */
export const StaffSignInResult = named(
  'StaffSignInResult',
  z.discriminatedUnion('status', [
    z.strictObject({ status: z.literal('signed-in'), session: StaffSession }),
    z.strictObject({ status: z.literal('enrol'), enrolment: TotpEnrolment }),
  ]),
);
export type StaffSignInResult = z.infer<typeof StaffSignInResult>;

export const SignedOut = named('SignedOut', z.strictObject({ sessionsEnded: z.int().min(0).describe('How many sessions this ended') }));
export type SignedOut = z.infer<typeof SignedOut>;
