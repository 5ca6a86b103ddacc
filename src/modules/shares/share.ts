import type { HolderType } from '../identity/index.js';

/** Shortest lifetime a share link may be given, in minutes. */
export const SHARE_LIFETIME_MIN_MINUTES = 10;
/** Longest lifetime a share link may be given, in minutes: 30 days. */
export const SHARE_LIFETIME_MAX_MINUTES = 30 * 24 * 60;
/** The lifetime of a share link when the holder names none, in minutes: 7 days. */
export const SHARE_LIFETIME_DEFAULT_MINUTES = 7 * 24 * 60;
/** Most licenses one share covers. */
export const SHARE_MAX_LICENSES = 20;
/** Longest recipient (a bank, an employer), in characters, after trimming. */
export const SHARE_RECIPIENT_MAX_LENGTH = 60;
/** How long a share that ended stays in the holder's list, in days. */
export const SHARE_LIST_ENDED_DAYS = 7;
/** After the one opening of a one-time link, how long its annotated copies can still be downloaded, in minutes. */
export const SHARE_ONE_TIME_COPY_MINUTES = 30;

/** A share as stored: found by its public id (the holder's) or by the SHA-256 of its link token (the recipient's). */
export interface ShareRecord {
  /** Public: names the share in the holder's list and in audit entries; opens nothing. */
  readonly id: string;
  /** Hex SHA-256 of the link token; the token itself is shown once, to the holder, and never stored. */
  readonly tokenHash: string;
  readonly holderType: HolderType;
  readonly holderNumber: string;
  /** Identifiers of the licenses shared, each the holder's own. */
  readonly licenses: readonly string[];
  /** Who the link is for, in the holder's words (某某银行). */
  readonly recipient: string;
  /** 用证事由, checked as every purpose is. */
  readonly purpose: string;
  /** ISO 8601 instants. */
  readonly createdAt: string;
  readonly expiresAt: string;
  /** Opens once only. */
  readonly oneTime: boolean;
  readonly openCount: number;
  readonly firstOpenedAt: string | null;
  readonly revokedAt: string | null;
}

/** Where a share stands now: open, or why not. */
export const SHARE_STATES = ['live', 'expired', 'revoked', 'used'] as const;
export type ShareState = (typeof SHARE_STATES)[number];

/** What the holder's list shows of a share: never its token's hash nor the holder's number, and where it stands now. */
export interface ShareView extends Omit<ShareRecord, 'tokenHash' | 'holderType' | 'holderNumber'> {
  readonly state: ShareState;
}

/** The state of `share` at `now`: revoked before anything else, then used up, then expired. */
export function shareStateOf(share: ShareRecord, now: Date): ShareState {
  if (share.revokedAt !== null) return 'revoked';
  if (share.oneTime && share.openCount > 0) return 'used';
  if (Date.parse(share.expiresAt) <= now.getTime()) return 'expired';
  return 'live';
}

export function shareViewOf(share: ShareRecord, now: Date): ShareView {
  const { tokenHash: _tokenHash, holderType: _holderType, holderNumber: _holderNumber, ...shown } = share;
  return { ...shown, state: shareStateOf(share, now) };
}
