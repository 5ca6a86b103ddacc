import type { HolderType } from '../identity/index.js';

/** How long a license of this type is valid (有效期规则). */
export type ValidityRule = { readonly kind: 'fixed-term'; readonly years: number } | { readonly kind: 'until-date' } | { readonly kind: 'permanent' };

/** A catalogue entry (证照目录, GB/T 36902) as stored. */
export interface LicenseTypeRecord {
  /** Defining authority's credit code + 3-digit sequence. */
  readonly code: string;
  readonly name: string;
  readonly definingAuthority: { readonly name: string; readonly creditCode: string };
  readonly holderType: HolderType;
  /** Issuing authority level, e.g. 国家级, 省级, 市级, 县级. */
  readonly issuingLevel: string;
  readonly validity: ValidityRule;
  /** Template folder name and the version new licenses are rendered with. */
  readonly template: { readonly id: string; readonly version: string };
  readonly updatedAt: string;
}

export interface LicenseTypeRepository {
  /** Creates or replaces the entry with the same code. */
  save(type: LicenseTypeRecord): Promise<void>;
  get(code: string): Promise<LicenseTypeRecord | null>;
  /** Ordered by code. */
  list(): Promise<readonly LicenseTypeRecord[]>;
}
