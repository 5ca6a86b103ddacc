/**
 * What the holder pages show, as plain data: the routes build these from the
 * use cases' answers, the renderers turn them into HTML, and tests render
 * them from fixtures.
 */

/** A license's status now: a stored one, or `expired` (derived). */
export type HolderLicenseStatus = 'active' | 'suspended' | 'revoked' | 'superseded' | 'expired';

/** The signed-in holder, as the header names them: never the number in full. */
export interface SignedInHolder {
  readonly name: string | null;
  readonly maskedNumber: string;
}

/** One license in the holder's list. */
export interface LicenseCard {
  readonly identifier: string;
  readonly typeName: string;
  readonly licenseNumber: string;
  readonly issuerName: string;
  readonly status: HolderLicenseStatus;
  /** YYYY-MM-DD. */
  readonly validFrom: string;
  /** YYYY-MM-DD, or null for 长期. */
  readonly validUntil: string | null;
  readonly version: number;
}

/** One license opened: its card, the fields on its face, where its face image and original are. */
export interface LicenseDetail extends LicenseCard {
  readonly issuedAt: string;
  readonly fields: readonly { readonly label: string; readonly value: string }[];
  readonly faceUrl: string;
  readonly originalUrl: string;
}

/** An office a holder may authorize: a department by credit code. */
export interface OfficeOption {
  readonly creditCode: string;
  readonly name: string;
}

export type AuthorizationState = 'live' | 'expired' | 'withdrawn' | 'used-up';

/** An authorization as its holder sees it in the list: never the code, only its last symbols. */
export interface AuthorizationItem {
  readonly id: string;
  readonly codeHint: string;
  readonly state: AuthorizationState;
  /** What it covers, named for people (type name and number). */
  readonly covers: readonly string[];
  /** null: any office. */
  readonly officeName: string | null;
  readonly serviceItem: string;
  readonly purpose: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly usesAllowed: number;
  readonly usesLeft: number;
}

/** A new authorization with its code, shown once right after it is made (and on reload, from the flash cookie). */
export interface AuthorizationResult {
  readonly authorization: AuthorizationItem;
  /** The 用证码 as people read it. */
  readonly code: string;
  /** The code as a QR code, an SVG document. */
  readonly qrSvg: string;
}

/** One entry of the usage record. */
export interface UsageItem {
  readonly at: string;
  /** The usage kind (lookup, redemption, read, copy, share-opened, denied…). */
  readonly kind: string;
  readonly departmentName: string | null;
  /** The staff account, masked. */
  readonly clerk: string | null;
  readonly serviceItem: string | null;
  readonly purpose: string | null;
  /** The licenses it concerned, named for people. */
  readonly licenses: readonly string[];
  /** Whom a share was for. */
  readonly recipient: string | null;
  /** How many such attempts one entry stands for. */
  readonly repeated: number;
}

export interface VerificationCount {
  readonly license: string;
  readonly count: number;
}

export interface UsagePageView {
  readonly items: readonly UsageItem[];
  readonly nextCursor: string | null;
  /** Only on the first page. */
  readonly verifications: readonly VerificationCount[] | null;
  /** Whether this is a later page (a link back to the newest is shown). */
  readonly paged: boolean;
}

export type ShareState = 'live' | 'expired' | 'revoked' | 'used';

export interface ShareItem {
  readonly id: string;
  readonly state: ShareState;
  readonly covers: readonly string[];
  readonly recipient: string;
  readonly purpose: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly oneTime: boolean;
  readonly opens: number;
}

/** A new share with its link, shown right after it is made (and on reload, from the flash cookie). */
export interface ShareResult {
  readonly share: ShareItem;
  readonly url: string;
  readonly qrSvg: string | null;
}
