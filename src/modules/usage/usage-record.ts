import type { AuditEntry, AuditLog } from '../audit/index.js';
import type { AccountRepository } from '../auth/index.js';
import type { DepartmentRepository } from '../departments/index.js';
import { parseLicenseIdentifier, type HolderNumber } from '../identity/index.js';
import type { HolderFingerprinter, LicenseRepository } from '../licenses/index.js';
import type { TemplateCatalog } from '../templates/index.js';
import type { VerificationCountRepository } from '../verification/index.js';
import type { Clock } from '../../shared/clock.js';
import { maskAccount } from './account-mask.js';
import { OfficeNames } from './names.js';
import { decodeUsageCursor, encodeUsageCursor } from './usage-cursor.js';
import { usageKindOf, type UsageKind } from './usage-kinds.js';

/** A license an entry is about, named by its type. */
export interface UsageLicense {
  readonly identifier: string;
  readonly typeName: string | null;
}

/** One use of the holder's licenses, as the holder may see it: no account in full, no one's number. */
export interface UsageEntry {
  readonly at: string;
  readonly kind: UsageKind;
  /** The audit action, for programs. */
  readonly action: string;
  /** The office that acted: from the entry, else the acting account's department. */
  readonly department: { readonly creditCode: string; readonly name: string | null } | null;
  /** The acting staff account, masked (`dem***rk`); null when no staff account acted (the holder, a share's visitor, the vault). */
  readonly clerk: string | null;
  /** clerk, issuer, holder, anonymous, system… */
  readonly actorRole: string;
  readonly serviceItem: string | null;
  readonly purpose: string | null;
  /** Whom the holder shared with (a share's recipient, as the holder named them). */
  readonly recipient: string | null;
  readonly licenses: readonly UsageLicense[];
  /** How many times the same attempt was made in a minute, when a security event summarised repeats. */
  readonly repeated: number;
}

/** Anonymous verifications of one of the holder's licenses: a count, nothing about who. */
export interface VerificationTotal extends UsageLicense {
  readonly licenseNumber: string;
  readonly count: number;
}

export interface UsagePage {
  readonly items: readonly UsageEntry[];
  /** Give back as `cursor` for older entries; null when there are none. A page may hold fewer than `limit` items and still have one. */
  readonly nextCursor: string | null;
  /** On the first page only (no cursor given): every license of the holder with its count of anonymous verifications. */
  readonly verifications: readonly VerificationTotal[] | null;
}

export interface UsageRecordStore {
  readonly audit: Pick<AuditLog, 'listByHolder'>;
  readonly departments: Pick<DepartmentRepository, 'get'>;
  readonly accounts: Pick<AccountRepository, 'get'>;
  readonly licenses: Pick<LicenseRepository, 'listByHolder'>;
  readonly verificationCounts: Pick<VerificationCountRepository, 'totals'>;
}

export interface UsageRecordDependencies {
  readonly store: UsageRecordStore;
  readonly fingerprinter: Pick<HolderFingerprinter, 'candidates'>;
  readonly templates: Pick<TemplateCatalog, 'nameOf'>;
  readonly clock: Clock;
}

/** At most this many audit entries are read for one page: the holder's own reads, left out, cannot make a page scan forever. */
const SCAN_ROUNDS = 4;
/** Licenses whose verification counts the first page lists, at most. */
const COUNTED_LICENSES = 1000;
const STAFF_ROLES: ReadonlySet<string> = new Set(['clerk', 'issuer', 'sysadmin', 'secadmin', 'auditor']);

const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

/**
 * The usage record (用证记录): every use of a holder's licenses, newest first,
 * read from the audit log (the one source of truth) through its holder index
 * under every fingerprint key kept. Reading it is not a use of a license and
 * is not audited.
 */
export class UsageRecord {
  private readonly names: OfficeNames;

  constructor(private readonly deps: UsageRecordDependencies) {
    this.names = new OfficeNames(deps.store, deps.clock);
  }

  async read(holder: HolderNumber, page: { readonly cursor?: string | undefined; readonly limit: number }): Promise<UsagePage> {
    const limit = Math.max(1, Math.min(100, Math.floor(page.limit)));
    let beforeSeq = page.cursor === undefined ? undefined : decodeUsageCursor(page.cursor);
    const fingerprints = this.deps.fingerprinter.candidates(holder);
    const shown: AuditEntry[] = [];
    let exhausted = false;
    let unread = 0;
    for (let round = 0; round < SCAN_ROUNDS && shown.length < limit && !exhausted; round += 1) {
      const asked = limit - shown.length + 1;
      const batch = await this.deps.store.audit.listByHolder(fingerprints, { ...(beforeSeq === undefined ? {} : { beforeSeq }), limit: asked });
      let consumed = 0;
      for (const entry of batch) {
        if (shown.length === limit) break;
        beforeSeq = entry.seq;
        consumed += 1;
        if (usageKindOf(entry.action) !== null) shown.push(entry);
      }
      unread = batch.length - consumed;
      exhausted = unread === 0 && batch.length < asked;
    }
    // Filled by the last entry read (the holder's own reads were skipped on the way): one look says whether older ones follow.
    if (!exhausted && unread === 0 && beforeSeq !== undefined && shown.length === limit) {
      exhausted = (await this.deps.store.audit.listByHolder(fingerprints, { beforeSeq, limit: 1 })).length === 0;
    }
    const items = await Promise.all(shown.map((entry) => this.entryOf(entry)));
    return {
      items,
      nextCursor: exhausted || beforeSeq === undefined ? null : encodeUsageCursor(beforeSeq),
      verifications: page.cursor === undefined ? await this.verificationTotals(holder) : null,
    };
  }

  private async entryOf(entry: AuditEntry): Promise<UsageEntry> {
    const { details, actor } = entry;
    const staff = STAFF_ROLES.has(actor.role);
    const creditCode = text(details['department']) ?? (staff ? await this.names.departmentOf(actor.id) : null);
    return {
      at: entry.at,
      kind: usageKindOf(entry.action) ?? 'other',
      action: entry.action,
      department: creditCode === null ? null : { creditCode, name: await this.names.departmentName(creditCode) },
      clerk: staff ? maskAccount(actor.id) : null,
      actorRole: actor.role,
      serviceItem: text(details['serviceItem']),
      purpose: text(details['purpose']),
      recipient: text(details['recipient']),
      licenses: this.licensesOf(entry).map((identifier) => ({ identifier, typeName: this.typeNameOf(identifier) })),
      repeated: typeof details['repeated'] === 'number' ? details['repeated'] + 1 : 1,
    };
  }

  /** The licenses an entry names: `details.licenses` (authorizations, copies, shares), `details.identifier`, or its target when that is a license identifier. */
  private licensesOf(entry: AuditEntry): readonly string[] {
    const listed = entry.details['licenses'];
    if (Array.isArray(listed)) return listed.filter((value): value is string => typeof value === 'string').slice(0, 100);
    const named = text(entry.details['identifier']) ?? entry.target;
    return named !== null && this.typeCodeOf(named) !== null ? [named] : [];
  }

  private typeCodeOf(identifier: string): string | null {
    try {
      return parseLicenseIdentifier(identifier).typeCode;
    } catch {
      return null;
    }
  }

  private typeNameOf(identifier: string): string | null {
    const typeCode = this.typeCodeOf(identifier);
    return typeCode === null ? null : this.deps.templates.nameOf(typeCode);
  }

  private async verificationTotals(holder: HolderNumber): Promise<readonly VerificationTotal[]> {
    const licenses: { identifier: string; licenseNumber: string }[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.deps.store.licenses.listByHolder({ holderType: holder.type, holderNumber: holder.value, limit: 500, ...(cursor ? { cursor } : {}) });
      licenses.push(...page.items.map((license) => ({ identifier: license.identifier, licenseNumber: license.licenseNumber })));
      cursor = page.nextCursor;
    } while (cursor !== null && licenses.length < COUNTED_LICENSES);
    const totals = await this.deps.store.verificationCounts.totals(licenses.map((license) => license.identifier));
    return licenses.map((license) => ({ ...license, typeName: this.typeNameOf(license.identifier), count: totals.get(license.identifier) ?? 0 }));
  }
}
