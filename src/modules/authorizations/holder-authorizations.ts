import { randomBytes } from 'node:crypto';
import type { AuditActor, AuditLog } from '../audit/index.js';
import type { DepartmentRepository } from '../departments/index.js';
import type { HolderNumber } from '../identity/index.js';
import { meaningfulPurpose, meaningfulServiceItem, type HolderFingerprinter, type LicenseRepository } from '../licenses/index.js';
import type { Clock } from '../../shared/clock.js';
import { AuthorizationError, isVaultError, NotFoundError } from '../../shared/errors.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import { checkLifetime, checkUses, invalid, MAX_COVERED, RECENTLY_ENDED_DAYS, stateOf, usesLeft, type AuthorizationRecord, type AuthorizationState } from './authorization.js';
import { codeHint, displayCode, generateCode, hashCode } from './code.js';
import type { AuthorizationRepository } from './repository.js';

/** What the authorization use cases read and write together. */
export interface AuthorizationRepositories {
  readonly authorizations: AuthorizationRepository;
  readonly licenses: LicenseRepository;
  readonly departments: DepartmentRepository;
  readonly audit: AuditLog;
}

export type AuthorizationStore = UnitOfWork<AuthorizationRepositories> & Pick<AuthorizationRepositories, 'authorizations' | 'departments'>;

export interface HolderAuthorizationDependencies {
  readonly store: AuthorizationStore;
  readonly clock: Clock;
  readonly fingerprinter: HolderFingerprinter;
  /** Whether a license type code is in the catalogue. */
  readonly isKnownLicenseType: (typeCode: string) => boolean;
  /** Makes 用证码; the CSPRNG by default (tests pass their own to force a clash). */
  readonly generateCode?: () => string;
  /**
   * Told, after the refusal, that a holder named another holder's license (a
   * security event, `holder.access.denied`), with the keyed fingerprint of that
   * license's holder, never the number.
   */
  readonly onDenied?: (who: ActingHolder, identifier: string, ownerFingerprint: string) => Promise<void>;
}

/** A holder acting on their own authorizations: the number from their session, the actor for the audit log. */
export interface ActingHolder {
  readonly holder: HolderNumber;
  readonly actor: AuditActor;
}

/** What a holder asks for (授权用证). */
export interface NewAuthorization {
  /** License identifiers, each the holder's own. */
  readonly licenses?: readonly string[] | undefined;
  /** License type codes: all the holder's licenses of these types in force at redemption. */
  readonly licenseTypes?: readonly string[] | undefined;
  /** Credit code of the office; null: any office. */
  readonly office: string | null;
  readonly serviceItem: string;
  readonly purpose: string;
  /** 5 minutes to 7 days; 30 minutes when absent. */
  readonly lifetimeMinutes?: number | undefined;
  /** 1 to 20; 1 when absent. */
  readonly uses?: number | undefined;
}

/** An authorization as its holder sees it: never the code, only its last two symbols. */
export interface AuthorizationView {
  readonly id: string;
  readonly codeHint: string;
  readonly state: AuthorizationState;
  readonly licenses: readonly string[];
  readonly licenseTypes: readonly string[];
  readonly office: { readonly creditCode: string; readonly name: string | null } | null;
  readonly serviceItem: string;
  readonly purpose: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly usesAllowed: number;
  readonly usesMade: number;
  readonly usesLeft: number;
  readonly withdrawnAt: string | null;
}

/** A new authorization and its code: the only time the code is given out. */
export interface CreatedAuthorization {
  readonly authorization: AuthorizationView;
  /** The 用证码 as people read it, `ABCD-EF23`. */
  readonly code: string;
}

/** Most authorizations a holder's list shows. */
const LIST_LIMIT = 100;
/** Fresh codes tried when a new one's hash is taken (odds of a clash: live codes / 6.6 × 10^11). */
const CODE_ATTEMPTS = 3;

export function authorizationView(record: AuthorizationRecord, now: Date): AuthorizationView {
  return {
    id: record.id,
    codeHint: record.codeHint,
    state: stateOf(record, now),
    licenses: record.licenses,
    licenseTypes: record.licenseTypes,
    office: record.office === null ? null : { creditCode: record.office, name: record.officeName },
    serviceItem: record.serviceItem,
    purpose: record.purpose,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    usesAllowed: record.usesAllowed,
    usesMade: record.usesMade,
    usesLeft: usesLeft(record),
    withdrawnAt: record.withdrawnAt,
  };
}

/** Distinct strings, at most {@link MAX_COVERED}, in the order given. */
function distinct(values: readonly string[] | undefined, field: string): string[] {
  const unique = [...new Set(values ?? [])];
  if (unique.length > MAX_COVERED) throw invalid(field, `at most ${MAX_COVERED}`);
  return unique;
}

function sameHolder(a: HolderNumber, b: { readonly type: string; readonly number: string }): boolean {
  return a.type === b.type && a.value === b.number;
}

/** A holder's authorizations: make one (and its code), list them, withdraw one. Each change is audited with it, in one transaction. */
export class HolderAuthorizations {
  constructor(private readonly deps: HolderAuthorizationDependencies) {}

  /**
   * Checks everything before anything is written: every license chosen is the
   * holder's (otherwise ERR_LICENSE_NOT_FOUND, as for none), every type is in
   * the catalogue, the office is a known department.
   */
  async create(who: ActingHolder, input: NewAuthorization): Promise<CreatedAuthorization> {
    const licenses = distinct(input.licenses, 'licenses');
    const licenseTypes = distinct(input.licenseTypes, 'licenseTypes');
    if (licenses.length + licenseTypes.length === 0) throw invalid('licenses', 'choose at least one license or license type');
    const unknownType = licenseTypes.find((typeCode) => !this.deps.isKnownLicenseType(typeCode));
    if (unknownType !== undefined) throw invalid('licenseTypes', `no license type ${unknownType} in the catalogue`);
    const serviceItem = meaningfulServiceItem(input.serviceItem);
    const purpose = meaningfulPurpose(input.purpose);
    const lifetime = checkLifetime(input.lifetimeMinutes);
    const uses = checkUses(input.uses);
    const now = this.deps.clock.now();
    for (let attempt = 1; ; attempt++) {
      const code = (this.deps.generateCode ?? generateCode)();
      try {
        const record = await this.deps.store.transaction(async (tx) => {
          const officeName = await this.office(tx, input.office);
          for (const identifier of licenses) {
            const license = typeof identifier === 'string' ? await tx.licenses.findByIdentifier(identifier) : null;
            if (!license) throw new NotFoundError('ERR_LICENSE_NOT_FOUND', undefined, { identifier });
            if (!sameHolder(who.holder, license.holder)) {
              const ownerFingerprint = this.deps.fingerprinter.fingerprint({ type: license.holder.type, value: license.holder.number });
              throw new NotFoundError('ERR_LICENSE_NOT_FOUND', undefined, { identifier }, { cause: { ownerFingerprint } });
            }
          }
          const record: AuthorizationRecord = {
            id: randomBytes(16).toString('base64url'),
            codeHash: hashCode(code),
            codeHint: codeHint(code),
            holder: { type: who.holder.type, value: who.holder.value },
            licenses,
            licenseTypes,
            office: input.office,
            officeName,
            serviceItem,
            purpose,
            createdAt: now.toISOString(),
            expiresAt: new Date(now.getTime() + lifetime * 60_000).toISOString(),
            usesAllowed: uses,
            usesMade: 0,
            redeemedBy: [],
            withdrawnAt: null,
          };
          await tx.authorizations.insert(record);
          await tx.audit.append({
            at: record.createdAt,
            actor: who.actor,
            action: 'authorization.create',
            target: record.id,
            details: { ...this.auditDetails(record), licenses, licenseTypes, expiresAt: record.expiresAt, uses },
          });
          return record;
        });
        return { authorization: authorizationView(record, now), code: displayCode(code) };
      } catch (error) {
        const denied = error instanceof NotFoundError ? (error.cause as { ownerFingerprint?: string } | undefined)?.ownerFingerprint : undefined;
        if (denied && error instanceof NotFoundError) await this.deps.onDenied?.(who, String(error.details?.identifier), denied);
        const clash = isVaultError(error) && error.code === 'ERR_STORE_DUPLICATE' && error.details?.key === 'codeHash';
        if (!clash || attempt >= CODE_ATTEMPTS) throw error;
      }
    }
  }

  /** Live authorizations and those ended in the last {@link RECENTLY_ENDED_DAYS} days, newest first, each with its state. */
  async list(who: ActingHolder): Promise<readonly AuthorizationView[]> {
    const now = this.deps.clock.now();
    const since = new Date(now.getTime() - RECENTLY_ENDED_DAYS * 86_400_000).toISOString();
    const records = await this.deps.store.authorizations.listByHolder(who.holder, since, LIST_LIMIT);
    return records.map((record) => authorizationView(record, now));
  }

  /** One of the holder's authorizations; another holder's, or none, is ERR_AUTHORIZATION_NOT_FOUND. */
  async get(who: ActingHolder, id: string): Promise<AuthorizationView> {
    const record = typeof id === 'string' && id.length <= 64 ? await this.deps.store.authorizations.get(id) : null;
    if (!record || record.holder.type !== who.holder.type || record.holder.value !== who.holder.value) throw new AuthorizationError('ERR_AUTHORIZATION_NOT_FOUND');
    return authorizationView(record, this.deps.clock.now());
  }

  /** Withdraws one of the holder's authorizations; another holder's, or none, is ERR_AUTHORIZATION_NOT_FOUND. Withdrawing twice changes nothing. */
  async withdraw(who: ActingHolder, id: string): Promise<AuthorizationView> {
    const now = this.deps.clock.now();
    const record = await this.deps.store.transaction(async (tx) => {
      const current = typeof id === 'string' && id.length <= 64 ? await tx.authorizations.get(id) : null;
      if (!current || current.holder.type !== who.holder.type || current.holder.value !== who.holder.value) throw new AuthorizationError('ERR_AUTHORIZATION_NOT_FOUND');
      if (current.withdrawnAt !== null) return current;
      const withdrawn = await tx.authorizations.withdraw(current.id, now.toISOString());
      if (!withdrawn) throw new AuthorizationError('ERR_AUTHORIZATION_NOT_FOUND');
      await tx.audit.append({ at: now.toISOString(), actor: who.actor, action: 'authorization.withdraw', target: current.id, details: this.auditDetails(current) });
      return withdrawn;
    });
    return authorizationView(record, now);
  }

  /** The office's name; ERR_AUTHORIZATION_OFFICE_UNKNOWN unless it is null (any office) or a known department. */
  private async office(tx: AuthorizationRepositories, office: string | null): Promise<string | null> {
    if (office === null) return null;
    const department = typeof office === 'string' && office.length <= 40 ? await tx.departments.get(office) : null;
    if (!department) throw new AuthorizationError('ERR_AUTHORIZATION_OFFICE_UNKNOWN', undefined, { field: 'office' });
    return department.name;
  }

  private auditDetails(record: AuthorizationRecord): Record<string, unknown> {
    return { holderFingerprint: this.deps.fingerprinter.fingerprint(record.holder), serviceItem: record.serviceItem, purpose: record.purpose, department: record.office };
  }
}
