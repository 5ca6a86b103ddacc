import type { HolderPrincipal } from '../../../modules/holders/index.js';
import type { AuthorizationItem, LicenseCard, LicenseDetail, OfficeOption, ShareItem, UsagePageView } from './view-models.js';

/**
 * What the holder pages ask of the vault's use cases, in the pages' own
 * terms; the composition root adapts the use cases to these. A part whose
 * back end the vault does not run is left out, and its pages say so.
 */
export interface HolderPageBackends {
  readonly licenses?: LicensesBackend;
  readonly authorizations?: AuthorizationsBackend;
  readonly usage?: UsageBackend;
  readonly shares?: SharesBackend;
}

export interface LicensesBackend {
  /** Every license the holder holds, newest first. */
  list(principal: HolderPrincipal): Promise<readonly LicenseCard[]>;
  /** One of the holder's licenses; ERR_LICENSE_NOT_FOUND for another's or none (the use case audits it). */
  read(principal: HolderPrincipal, identifier: string): Promise<LicenseDetail>;
}

export interface NewAuthorizationInput {
  readonly licenses: readonly string[];
  /** A credit code, or null for any office. */
  readonly office: string | null;
  readonly serviceItem: string;
  readonly purpose: string;
  readonly lifetimeMinutes: number;
  readonly uses: number;
}

export interface AuthorizationsBackend {
  /** The offices a holder may name. */
  offices(): Promise<readonly OfficeOption[]>;
  list(principal: HolderPrincipal): Promise<readonly AuthorizationItem[]>;
  /** Makes an authorization; answers its id and the 用证码, given out only now. */
  create(principal: HolderPrincipal, input: NewAuthorizationInput): Promise<{ readonly id: string; readonly code: string }>;
  withdraw(principal: HolderPrincipal, id: string): Promise<void>;
  /** The code as a QR code (SVG). */
  qrSvg(code: string): Promise<string>;
}

export interface UsageBackend {
  read(principal: HolderPrincipal, cursor: string | undefined): Promise<Omit<UsagePageView, 'paged'>>;
}

export interface NewShareInput {
  readonly licenses: readonly string[];
  readonly recipient: string;
  readonly purpose: string;
  readonly lifetimeMinutes: number;
  readonly oneTime: boolean;
}

export interface SharesBackend {
  list(principal: HolderPrincipal): Promise<readonly ShareItem[]>;
  /** Makes a share; answers its id and its link, given out only now. */
  create(principal: HolderPrincipal, input: NewShareInput): Promise<{ readonly id: string; readonly url: string }>;
  revoke(principal: HolderPrincipal, id: string): Promise<void>;
  /** The link as a QR code (SVG), or null when none is drawn. */
  qrSvg(url: string): Promise<string | null>;
}
