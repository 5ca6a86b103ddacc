import type { AuditLog } from '../audit/index.js';
import { actorOf, type Principal } from '../auth/index.js';
import { isValidCitizenId, isValidCreditCode, maskHolderNumber, parseHolderNumber, type HolderNumber, type HolderType } from '../identity/index.js';
import type { Clock } from '../../shared/clock.js';
import { AuthorizationError, LicenseError, NotFoundError } from '../../shared/errors.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import type { LicenseFile, LicenseRecord, LicenseStatus } from './license.js';
import type { LicenseFileRepository, LicensePage, LicenseRepository } from './repository.js';
import { effectiveStatus, type EffectiveStatus } from './status.js';
import type { HolderFingerprinter } from './holder-fingerprint.js';
import { meaningfulPurpose, meaningfulServiceItem } from './purpose.js';

/** The cause of a not-found that hides another department's license. */
const DENIED = 'another department';

/** What a read of personal data sees, and where it is audited, in one transaction. */
export interface LicenseQueryRepositories {
  readonly licenses: LicenseRepository;
  readonly licenseFiles: LicenseFileRepository;
  readonly audit: AuditLog;
}

export type LicenseQueryStore = UnitOfWork<LicenseQueryRepositories>;

/** A holder look-up (一号申请); the number and the purpose are checked here. */
export interface HolderLookup {
  /** Citizen ID number or unified social credit code, as typed. */
  readonly holderId: string;
  /** Which of the two the number is; inferred from the number when absent. */
  readonly holderType?: HolderType | undefined;
  readonly purpose: string;
  /** 办理事项, recorded when given. */
  readonly serviceItem?: string | undefined;
  readonly licenseType?: string | undefined;
  readonly status?: EffectiveStatus | undefined;
  readonly cursor?: string | undefined;
  readonly limit: number;
}

/** A license as a caller with full access sees it: the record plus its status now. */
export interface LicenseView extends LicenseRecord {
  readonly effectiveStatus: EffectiveStatus;
}

const CITIZEN_SHAPE = /^\s*(\d{17}[\dXx]|\d{15})\s*$/;

/**
 * A number alone does not say whose it is: whichever of citizen ID and credit
 * code it is valid as; both → the caller must say; neither → the error of the
 * kind it looks like (all digits: a citizen ID).
 */
function holderOf(id: string, type: HolderType | undefined, clock: Clock): HolderNumber {
  if (type !== undefined) return parseHolderNumber(type, id, clock);
  const citizen = isValidCitizenId(id, clock);
  const organization = isValidCreditCode(id);
  if (citizen && organization) throw new LicenseError('ERR_HOLDER_ID_AMBIGUOUS');
  if (organization) return parseHolderNumber('organization', id, clock);
  return parseHolderNumber(citizen || CITIZEN_SHAPE.test(id) ? 'citizen' : 'organization', id, clock);
}

/**
 * What an auditor searches the audit log's `holderFingerprint` for to find
 * every look-up of one holder: the holder's fingerprint under each key kept.
 * The number is checked as a look-up's is.
 */
export function fingerprintsFor(fingerprinter: HolderFingerprinter, holderId: string, holderType: HolderType | undefined, clock: Clock): readonly string[] {
  return fingerprinter.candidates(holderOf(holderId, holderType, clock));
}

/**
 * VAULT_LOOKUP_POLICY=consent, as the license module sees it: whether a
 * clerk's redemption of a holder's authorization covers this license. Absent:
 * the `number` policy, where clerks look holders up by number.
 */
export type ConsentCheck = (principal: Principal, license: LicenseRecord) => Promise<boolean>;

/** What a read says about itself for the audit log: 用证事由 (required) and 办理事项 (optional). */
function useOf(rawPurpose: string, rawServiceItem: string | undefined, principal: Principal): Record<string, unknown> {
  return {
    purpose: meaningfulPurpose(rawPurpose),
    ...(rawServiceItem === undefined ? {} : { serviceItem: meaningfulServiceItem(rawServiceItem) }),
    department: principal.department,
  };
}

/**
 * Reads of personal data: a holder's licenses, one license, its signed PDF.
 * Each read is audited (who, what, why, the holder's fingerprint) in the same
 * transaction as the read. Issuers see only their own department's licenses;
 * clerks see all under the `number` policy, and under `consent` only what a
 * holder's authorization they redeemed covers, never by number.
 */
export class LicenseQueries {
  constructor(
    private readonly store: LicenseQueryStore,
    private readonly clock: Clock,
    private readonly fingerprinter: HolderFingerprinter,
    /** Told, after the refusal, of an issuer's read of another department's license (a security event). */
    private readonly onDenied?: (principal: Principal, identifier: string) => Promise<void>,
    /** Present under VAULT_LOOKUP_POLICY=consent. */
    private readonly consent?: ConsentCheck,
  ) {}

  /** Under the consent policy a clerk's look-up by number is refused (ERR_LOOKUP_NEEDS_CONSENT) before anything is read. */
  async lookUpHolder(principal: Principal, lookup: HolderLookup): Promise<{ items: LicenseView[]; nextCursor: string | null }> {
    if (this.consent && principal.role === 'clerk') throw new AuthorizationError('ERR_LOOKUP_NEEDS_CONSENT');
    const use = useOf(lookup.purpose, lookup.serviceItem, principal);
    const holder = holderOf(lookup.holderId, lookup.holderType, this.clock);
    const now = this.clock.now();
    const statuses: LicenseStatus[] | undefined = lookup.status === 'expired' ? ['active'] : lookup.status ? [lookup.status] : undefined;
    return this.store.transaction(async (tx) => {
      const page: LicensePage = await tx.licenses.listByHolder({
        holderType: holder.type,
        holderNumber: holder.value,
        limit: lookup.limit,
        ...(statuses ? { statuses } : {}),
        ...(lookup.licenseType ? { typeCode: lookup.licenseType } : {}),
        ...(lookup.cursor ? { cursor: lookup.cursor } : {}),
        ...(principal.role === 'issuer' && principal.department ? { issuerCreditCode: principal.department } : {}),
      });
      const items = page.items
        .map((license) => ({ ...license, effectiveStatus: effectiveStatus(license, now) }))
        .filter((view) => lookup.status === undefined || view.effectiveStatus === lookup.status);
      await this.audit(tx, principal, now, 'holder.query', null, {
        ...use,
        holderType: holder.type,
        holder: maskHolderNumber(holder),
        holderFingerprint: this.fingerprinter.fingerprint(holder),
        ...(lookup.licenseType ? { licenseType: lookup.licenseType } : {}),
        ...(lookup.status ? { status: lookup.status } : {}),
        outcome: `${items.length} license(s)`,
      });
      return { items, nextCursor: page.nextCursor };
    });
  }

  async read(principal: Principal, identifier: string, rawPurpose: string, rawServiceItem?: string): Promise<LicenseView> {
    const use = useOf(rawPurpose, rawServiceItem, principal);
    const now = this.clock.now();
    return this.store
      .transaction(async (tx) => {
        const license = await this.visible(tx, principal, identifier);
        await this.audit(tx, principal, now, 'license.read', identifier, { ...use, holderFingerprint: this.holderFingerprint(license), outcome: 'read' });
        return { ...license, effectiveStatus: effectiveStatus(license, now) };
      })
      .catch((error: unknown) => this.refused(error, principal, identifier));
  }

  async download(principal: Principal, identifier: string, rawPurpose: string, rawServiceItem?: string): Promise<LicenseFile> {
    const use = useOf(rawPurpose, rawServiceItem, principal);
    const now = this.clock.now();
    return this.store
      .transaction(async (tx) => {
        const license = await this.visible(tx, principal, identifier);
        const file = await tx.licenseFiles.get(identifier);
        if (!file) throw new NotFoundError('ERR_LICENSE_NOT_FOUND');
        await this.audit(tx, principal, now, 'license.download', identifier, { ...use, holderFingerprint: this.holderFingerprint(license), outcome: 'downloaded' });
        return file;
      })
      .catch((error: unknown) => this.refused(error, principal, identifier));
  }

  /**
   * The license if this principal may see it; otherwise not found, so that
   * existence does not leak. Under the consent policy a clerk gets
   * ERR_LOOKUP_NEEDS_CONSENT alike for a license no redemption of theirs
   * covers and for none at all.
   */
  private async visible(tx: LicenseQueryRepositories, principal: Principal, identifier: string): Promise<LicenseRecord> {
    const license = await tx.licenses.findByIdentifier(identifier);
    if (this.consent && principal.role === 'clerk' && !(license && (await this.consent(principal, license)))) throw new AuthorizationError('ERR_LOOKUP_NEEDS_CONSENT');
    if (!license) throw new NotFoundError('ERR_LICENSE_NOT_FOUND');
    if (principal.role === 'issuer' && license.issuer.creditCode !== principal.department)
      throw new NotFoundError('ERR_LICENSE_NOT_FOUND', undefined, undefined, { cause: DENIED });
    return license;
  }

  /** Rethrows `error`, first telling onDenied when it was a refused read of another department's license. */
  private async refused(error: unknown, principal: Principal, identifier: string): Promise<never> {
    if (error instanceof NotFoundError && error.cause === DENIED) await this.onDenied?.(principal, identifier);
    throw error;
  }

  private holderFingerprint(license: LicenseRecord): string {
    return this.fingerprinter.fingerprint({ type: license.holder.type, value: license.holder.number });
  }

  private async audit(tx: LicenseQueryRepositories, principal: Principal, now: Date, action: string, target: string | null, details: Record<string, unknown>): Promise<void> {
    await tx.audit.append({ at: now.toISOString(), actor: actorOf(principal), action, target, details });
  }
}
