export type { OpenedStaffSession, PendingTotpEnrolment, StaffCredentials, StaffSessionView, StaffSignIn, StaffUserView } from './staff-sign-in.js';
