import { createHash } from 'node:crypto';
import type { AuditActor, AuditLog } from '../audit/index.js';
import { actorOf, type Principal } from '../auth/index.js';
import type { DepartmentRepository } from '../departments/index.js';
import type { HolderNumber } from '../identity/index.js';
import {
  effectiveStatus,
  meaningfulPurpose,
  meaningfulServiceItem,
  type ConsentCheck,
  type HolderFingerprinter,
  type LicenseFileRepository,
  type LicenseRepository,
} from '../licenses/index.js';
import type { PadesSigner, Signer } from '../signing/index.js';
import type { Clock } from '../../shared/clock.js';
import { AuthorizationError, CopyError, NotFoundError } from '../../shared/errors.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import { copyBand } from './band.js';
import type { CopyComposer } from './composer.js';
import { copyValidUntil, newCopyId, newCopyVerificationCode, OFFICE_NAME_MAX_LENGTH, type CopyOffice, type CopyRecord } from './copy.js';
import type { CopyMetadata } from './metadata.js';
import type { CopyRepository } from './repository.js';

/** The office named on a copy made by a clerk of no department. */
export const NO_DEPARTMENT_OFFICE = '未登记部门的办事窗口';

/** What making a copy reads and writes: the license and its file, the office's department, the copy record and its audit entry. */
export interface CopyRepositories {
  readonly licenses: LicenseRepository;
  readonly licenseFiles: LicenseFileRepository;
  readonly departments: DepartmentRepository;
  readonly copies: CopyRepository;
  readonly audit: AuditLog;
}

export type CopyStore = CopyRepositories & UnitOfWork<Pick<CopyRepositories, 'copies' | 'audit'>>;

export interface AnnotatedCopiesDependencies {
  readonly store: CopyStore;
  readonly composer: CopyComposer;
  readonly pades: PadesSigner;
  /** The vault platform's annotated-copy signer (never a department's). */
  readonly platformSigner: () => Promise<Signer>;
  readonly fingerprinter: HolderFingerprinter;
  readonly clock: Clock;
  readonly publicUrl: string;
  /** Present under VAULT_LOOKUP_POLICY=consent: a clerk copies only what a redeemed authorization covers. */
  readonly consent?: ConsentCheck | undefined;
}

/** What a copy is for: the service item (办理事项), the purpose (用证事由) and how long it serves. */
export interface CopyInput {
  readonly serviceItem: string;
  readonly purpose: string;
  readonly validDays?: number | undefined;
  readonly validUntil?: string | undefined;
}

/** A copy asked for by anyone: who acts, for which office, and which licenses they may reach. */
export interface CopyRequest extends CopyInput {
  readonly identifier: string;
  readonly office: CopyOffice;
  readonly actor: AuditActor;
  /** Only a license this department issued (an issuer's own); any when absent. */
  readonly issuerCreditCode?: string;
  /** Only a license this holder holds (a holder's own share); any when absent. */
  readonly holder?: HolderNumber;
  /** The clerk asking, whose redemption the consent policy checks. */
  readonly clerk?: Principal;
  /** More to say in the `copy.make` entry (the share it was made for). */
  readonly auditDetails?: Readonly<Record<string, string>>;
}

export interface MadeCopy {
  readonly copyId: string;
  readonly pdf: Uint8Array;
  readonly record: CopyRecord;
}

/**
 * Annotated copies (加注件): what an office keeps instead of the original.
 * A copy shows the original's page with a band saying who provided it, to
 * which office, for which service item and until when; it is signed by the
 * vault platform's certificate and carries the original's identifier and
 * SHA-256. Each copy is recorded and audited (`copy.make`) in one transaction.
 */
export class AnnotatedCopies {
  constructor(private readonly deps: AnnotatedCopiesDependencies) {}

  /**
   * A copy for staff: a clerk for any license (the office is the clerk's
   * department), an issuer for its own department's licenses only.
   */
  async makeForStaff(principal: Principal, identifier: string, input: CopyInput): Promise<MadeCopy> {
    const department = principal.department === null ? null : await this.deps.store.departments.get(principal.department);
    const office: CopyOffice = department ? { name: department.name, creditCode: department.creditCode } : { name: NO_DEPARTMENT_OFFICE, creditCode: null };
    return this.make({
      ...input,
      identifier,
      office,
      actor: actorOf(principal),
      ...(principal.role === 'issuer' ? { issuerCreditCode: principal.department ?? '' } : { clerk: principal }),
    });
  }

  /**
   * @throws AuthorizationError ERR_LOOKUP_NEEDS_CONSENT (consent policy, a clerk without a redemption covering it);
   *   CopyError ERR_COPY_VALIDITY_INVALID, ERR_COPY_ORIGINAL_NOT_IN_FORCE; LicenseError ERR_SERVICE_ITEM_REQUIRED, ERR_PURPOSE_REQUIRED;
   *   NotFoundError ERR_LICENSE_NOT_FOUND (also for a license the requester may not reach); the composer's and signer's errors.
   */
  async make(request: CopyRequest): Promise<MadeCopy> {
    const { store, clock } = this.deps;
    const serviceItem = meaningfulServiceItem(request.serviceItem);
    const purpose = meaningfulPurpose(request.purpose);
    const now = clock.now();
    const validUntil = copyValidUntil(now, request);
    const officeName = request.office.name.trim().normalize('NFC');
    if (officeName.length === 0 || [...officeName].length > OFFICE_NAME_MAX_LENGTH) throw new TypeError('office name must be 1 to 100 characters');

    const license = await store.licenses.findByIdentifier(request.identifier);
    // Under the consent policy a clerk is refused alike for a license not covered and for none at all.
    if (this.deps.consent && request.clerk && !(license && (await this.deps.consent(request.clerk, license)))) throw new AuthorizationError('ERR_LOOKUP_NEEDS_CONSENT');
    const reachable =
      license !== null &&
      (request.issuerCreditCode === undefined || license.issuer.creditCode === request.issuerCreditCode) &&
      (request.holder === undefined || (license.holder.type === request.holder.type && license.holder.number === request.holder.value));
    if (!license || !reachable) throw new NotFoundError('ERR_LICENSE_NOT_FOUND');
    const status = effectiveStatus(license, now);
    if (status !== 'active') throw new CopyError('ERR_COPY_ORIGINAL_NOT_IN_FORCE', `the license is ${status}`, { status });

    const copyId = newCopyId();
    const verificationCode = newCopyVerificationCode();
    const metadata: CopyMetadata = {
      copyId,
      originalIdentifier: license.identifier,
      originalSha256: license.sha256,
      office: { name: officeName, creditCode: request.office.creditCode },
      serviceItem,
      purpose,
      madeAt: now.toISOString(),
      validUntil,
    };
    const prepared = await this.deps.composer.compose({
      original: async () => {
        const file = await store.licenseFiles.get(license.identifier);
        if (!file) throw new NotFoundError('ERR_LICENSE_NOT_FOUND');
        return file.bytes;
      },
      metadata,
      band: copyBand(metadata),
      verificationUrl: `${this.deps.publicUrl}/v/copy/${copyId}?c=${verificationCode}`,
      signingTime: now,
    });
    const pdf = await this.deps.pades.sign(prepared, await this.deps.platformSigner());
    const record: CopyRecord = {
      copyId,
      verificationCode,
      originalIdentifier: license.identifier,
      originalSha256: license.sha256,
      sha256: createHash('sha256').update(pdf).digest('hex'),
      office: metadata.office,
      serviceItem,
      purpose,
      validUntil,
      createdAt: metadata.madeAt,
      madeBy: { id: request.actor.id, role: request.actor.role },
    };
    const holder: HolderNumber = { type: license.holder.type, value: license.holder.number };
    await store.transaction(async (tx) => {
      await tx.copies.insert(record);
      await tx.audit.append({
        at: record.createdAt,
        actor: request.actor,
        action: 'copy.make',
        target: license.identifier,
        details: {
          copyId,
          holderFingerprint: this.deps.fingerprinter.fingerprint(holder),
          serviceItem,
          purpose,
          department: request.office.creditCode,
          office: officeName,
          validUntil,
          ...request.auditDetails,
        },
      });
    });
    return { copyId, pdf, record };
  }
}
