import { createHash, randomBytes } from 'node:crypto';
import { canonicalJson, type AuditLog } from '../audit/index.js';
import { actorOf, type Principal } from '../auth/index.js';
import type { DepartmentRecord, DepartmentRepository } from '../departments/index.js';
import { buildLicenseIdentifier, maskHolderNumber, maskIdentityNumbersInText, type HolderType } from '../identity/index.js';
import type { PadesSigner, Signer, SignerProvider } from '../signing/index.js';
import { validateFaceFields, type LicenseRenderer, type LicenseTemplate, type SealImageSource, type SealSpec, type TemplateCatalog } from '../templates/index.js';
import type { PreparedPdf } from '../../lib/pdf-bytes/index.js';
import type { Clock } from '../../shared/clock.js';
import { isVaultError, LicenseError, NotFoundError } from '../../shared/errors.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import type { FieldValue, LicenseRecord } from './license.js';
import { holderNameOf } from './holder-name.js';
import { checkIssueCommand, departmentSeal, issuingDepartment, signingKeyOf } from './issue-check.js';
import { IDEMPOTENCY_KEY_PATTERN, REASON_MAX_LENGTH } from './limits.js';
import { requiredText } from './text-input.js';
import { counterText } from './numbering.js';
import { LICENSE_NUMBER_COUNTER, type CounterValue, type IdempotencyRepository, type LicenseFileRepository, type LicenseRepository } from './repository.js';
import { assertTransition } from './lifecycle.js';
import { chinaToday, validityFor } from './validity.js';

/** What an issuance stores together: record, signed file, settled serials, audit entry and idempotency key. */
export interface IssuanceRepositories {
  readonly licenses: LicenseRepository;
  readonly licenseFiles: LicenseFileRepository;
  readonly idempotency: IdempotencyRepository;
  readonly audit: AuditLog;
}

/** The store issuance works on: its repositories, in a transaction or alone, and the departments that issue. */
export type IssuanceStore = UnitOfWork<IssuanceRepositories> & IssuanceRepositories & { readonly departments: DepartmentRepository };

export interface IssuanceDependencies {
  readonly store: IssuanceStore;
  readonly templates: TemplateCatalog;
  readonly renderer: LicenseRenderer;
  readonly pades: PadesSigner;
  /** The departments' signers, by their `signingKey`. */
  readonly signers: SignerProvider;
  /** The departments' seal images, by their `sealImage`. */
  readonly sealImages: SealImageSource;
  readonly clock: Clock;
  /** Base of the verification links in QR codes, without a trailing slash. */
  readonly publicUrl: string;
  /** Stops issuance on a restored store until it is reconciled (modules/recovery); without it, issuance is never stopped. */
  readonly gate?: { assertOpen(): Promise<void> };
  /** Told each named moment an issuance reaches, for crash tests (VAULT_FAILPOINT); nothing in production. */
  readonly reached?: (point: IssuancePoint) => void;
}

/** What a department signs and seals its licenses with. */
interface DepartmentCredentials {
  readonly signer: Signer;
  readonly seal: SealSpec;
}

/** Named moments of an issuance, in order, at which a crash test may kill the process. */
export const ISSUANCE_POINTS = ['after-serial', 'after-render', 'after-sign', 'during-file-write', 'before-commit', 'after-commit'] as const;
export type IssuancePoint = (typeof ISSUANCE_POINTS)[number];

/**
 * An issuance request, its shape already checked at the edge. The business
 * rules are checked here: the holder number, the name, the face fields
 * against the template, the validity against the type's rule.
 */
export interface IssueCommand {
  readonly licenseType: string;
  readonly holder: { readonly type: HolderType; readonly id: string; readonly name: string };
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** YYYY-MM-DD; today in China when absent. */
  readonly validFrom?: string | undefined;
  /** YYYY-MM-DD; from the type's validity rule when absent. */
  readonly validUntil?: string | undefined;
}

/** What a reissue changes; whatever is absent is carried over from the version it replaces. */
export interface ReissueCommand {
  readonly fields?: Readonly<Record<string, FieldValue>> | undefined;
  readonly holderName?: string | undefined;
  readonly validFrom?: string | undefined;
  readonly validUntil?: string | undefined;
  /** Why it is reissued (换发原因), recorded with the old version's status and in the audit entry. */
  readonly reason?: string | undefined;
}

export interface IssueResult {
  readonly license: LicenseRecord;
  /** True when an earlier request with the same Idempotency-Key produced it. */
  readonly replayed: boolean;
}

/** The numbers reserved for a license version; settled in the transaction that stores it. */
interface Reserved {
  /** A new serial: a first issuance's (a reissue keeps its predecessor's). */
  readonly serial?: CounterValue;
  /** A new license number (证照编号), for every version. */
  readonly licenseNumber: CounterValue;
}

/**
 * Reserves a license version's numbers in one durable write: a license
 * number and, for a first issuance, a serial of the license type
 * `newSerialOf`. A crash before the license is stored leaves both as
 * explained gaps (reservations), never as numbers handed out again.
 */
async function reserveNumbers(store: Pick<IssuanceStore, 'licenses'>, department: DepartmentRecord, now: Date, newSerialOf: string): Promise<Required<Reserved>>;
async function reserveNumbers(store: Pick<IssuanceStore, 'licenses'>, department: DepartmentRecord, now: Date): Promise<Reserved>;
async function reserveNumbers(store: Pick<IssuanceStore, 'licenses'>, department: DepartmentRecord, now: Date, newSerialOf?: string): Promise<Reserved> {
  const licenseNumber = { scope: `${LICENSE_NUMBER_COUNTER}${chinaToday(now).slice(0, 4)}`, issuerCreditCode: department.creditCode };
  const serial = newSerialOf === undefined ? null : { scope: newSerialOf, issuerCreditCode: department.creditCode };
  const values = await store.licenses.reserveNumbers(serial ? [licenseNumber, serial] : [licenseNumber], now.toISOString());
  const valueAt = (index: number): number => {
    const value = values[index];
    if (value === undefined) throw new Error('the store reserved fewer numbers than asked');
    return value;
  };
  return { licenseNumber: { ...licenseNumber, value: valueAt(0) }, ...(serial ? { serial: { ...serial, value: valueAt(1) } } : {}) };
}

/**
 * The license number printed on the face (证照编号): the department's division
 * code, the year, and the department's running number for that year, so it is
 * unique per issuer across all license types and versions.
 */
function licenseNumberText(department: DepartmentRecord, reserved: CounterValue): string {
  return `${department.divisionCode}${reserved.scope.slice(LICENSE_NUMBER_COUNTER.length)}${counterText(reserved.value)}`;
}

/**
 * Issues licenses: checks the issuer, the holder and the fields, allocates
 * the serial, renders, seals and signs, then stores record, signed file,
 * audit entry and idempotency key in one transaction.
 */
export class LicenseIssuance {
  constructor(private readonly deps: IssuanceDependencies) {}

  async issue(principal: Principal, command: IssueCommand, idempotencyKey?: string): Promise<IssueResult> {
    const { store, clock } = this.deps;
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) throw new LicenseError('ERR_IDEMPOTENCY_KEY_INVALID');
    const requestHash = createHash('sha256').update(canonicalJson(command)).digest('hex');
    if (idempotencyKey !== undefined) {
      const earlier = await this.replay(principal, idempotencyKey, requestHash);
      if (earlier) return earlier;
    }

    const now = clock.now();
    const { department, template, holder, name, fields, validity } = await checkIssueCommand(
      { departments: store.departments, templates: this.deps.templates, clock },
      principal,
      command,
      now,
    );
    // A department that cannot sign or seal, or a store that must not number, fails here, before a serial is spent.
    const credentials = await this.credentials(department);
    await this.deps.gate?.assertOpen();

    const reserved = await reserveNumbers(store, department, now, template.catalogue.typeCode);
    this.reach('after-serial');
    const { record, signed } = await this.produce({
      template,
      department,
      credentials,
      serial: counterText(reserved.serial.value),
      licenseNumber: licenseNumberText(department, reserved.licenseNumber),
      version: 1,
      holder: { type: holder.type, number: holder.value, name },
      validity,
      fields,
      supersedes: null,
      now,
    });
    const identifier = record.identifier;

    try {
      await store.transaction(async (tx) => {
        await tx.licenses.insert(record);
        this.reach('during-file-write');
        await tx.licenseFiles.put({ identifier, sha256: record.sha256, bytes: signed });
        await tx.licenses.settleNumbers([reserved.serial, reserved.licenseNumber]);
        await this.audit(tx, principal, record, 'license.issue');
        if (idempotencyKey !== undefined)
          await tx.idempotency.put({ scope: principal.clientId, key: idempotencyKey, requestHash, resultRef: identifier, createdAt: now.toISOString() });
        this.reach('before-commit');
      });
      this.reach('after-commit');
    } catch (error) {
      // Two requests raced with one key: the first one's license is the answer.
      if (idempotencyKey !== undefined && isVaultError(error) && error.code === 'ERR_STORE_DUPLICATE' && error.details?.key === 'key') {
        const earlier = await this.replay(principal, idempotencyKey, requestHash);
        if (earlier) return earlier;
      }
      throw error;
    }
    return { license: record, replayed: false };
  }

  /**
   * Reissues a license as version n+1 of the same serial with new face
   * values: the old version becomes superseded, the new one names it in
   * `supersedes` (and the old one's successor is the same identifier with the
   * next version). Both changes and the audit entry commit together.
   */
  async reissue(principal: Principal, identifier: string, changes: ReissueCommand): Promise<LicenseRecord> {
    const { store, clock } = this.deps;
    const old = assertTransition(principal, await store.licenses.findByIdentifier(identifier), 'reissue');
    const department = await issuingDepartment(store.departments, principal, old.typeCode);
    const template = this.deps.templates.forType(old.typeCode);
    const now = clock.now();
    const reason = changes.reason === undefined ? null : maskIdentityNumbersInText(requiredText(changes.reason, REASON_MAX_LENGTH, 'ERR_REASON_REQUIRED'));
    const fields = changes.fields === undefined ? validateFaceFields(template, old.fields) : validateFaceFields(template, changes.fields);
    const name = changes.holderName === undefined ? old.holder.name : holderNameOf(changes.holderName);
    const validity =
      changes.validFrom === undefined && changes.validUntil === undefined
        ? { validFrom: old.validFrom, validUntil: old.validUntil }
        : validityFor(template.catalogue.validity, changes, now);
    const credentials = await this.credentials(department);
    await this.deps.gate?.assertOpen();
    const reserved = await reserveNumbers(store, department, now);
    const { record, signed } = await this.produce({
      template,
      department,
      credentials,
      serial: old.serial,
      licenseNumber: licenseNumberText(department, reserved.licenseNumber),
      version: old.version + 1,
      holder: { ...old.holder, name },
      validity,
      fields,
      supersedes: old.identifier,
      now,
    });
    await store.transaction(async (tx) => {
      await tx.licenses.changeStatus({
        identifier: old.identifier,
        status: 'superseded',
        expectedRevision: old.revision,
        reason: reason === null ? `reissued as ${record.identifier}` : `reissued as ${record.identifier}: ${reason}`,
        at: record.issuedAt,
      });
      await tx.licenses.insert(record);
      await tx.licenseFiles.put({ identifier: record.identifier, sha256: record.sha256, bytes: signed });
      await tx.licenses.settleNumbers([reserved.licenseNumber]);
      await this.audit(tx, principal, record, 'license.reissue', reason);
    });
    return record;
  }

  /** Numbers, renders, seals and signs one license version; nothing is stored yet. */
  private async produce(draft: {
    readonly template: LicenseTemplate;
    readonly department: DepartmentRecord;
    readonly credentials: DepartmentCredentials;
    readonly serial: string;
    readonly licenseNumber: string;
    readonly version: number;
    readonly holder: LicenseRecord['holder'];
    readonly validity: Pick<LicenseRecord, 'validFrom' | 'validUntil'>;
    readonly fields: LicenseRecord['fields'];
    readonly supersedes: string | null;
    readonly now: Date;
  }): Promise<{ record: LicenseRecord; signed: Uint8Array }> {
    const { template, department, now } = draft;
    const { signer, seal } = draft.credentials;
    const license = {
      identifier: buildLicenseIdentifier({ typeCode: template.catalogue.typeCode, issuerCreditCode: department.creditCode, serial: draft.serial, version: draft.version }),
      licenseNumber: draft.licenseNumber,
      typeCode: template.catalogue.typeCode,
      serial: draft.serial,
      version: draft.version,
      issuer: { creditCode: department.creditCode, name: department.name },
      holder: draft.holder,
      divisionCode: department.divisionCode,
      issuedAt: now.toISOString(),
      ...draft.validity,
      fields: draft.fields,
      templateVersion: String(template.version),
      status: 'active',
      statusReason: null,
      statusChangedAt: null,
      supersedes: draft.supersedes,
      revision: 1,
      certificateFingerprint: signer.certificate.fingerprint256,
      verificationCode: randomBytes(16).toString('base64url'),
    } satisfies Omit<LicenseRecord, 'sha256'>;
    const rendered = await this.render(template, license, department, seal, now);
    this.reach('after-render');
    const signed = await this.deps.pades.sign(rendered, signer);
    this.reach('after-sign');
    return { record: { ...license, sha256: createHash('sha256').update(signed).digest('hex') }, signed };
  }

  /**
   * The key the department signs with (its `signingKey`) and the seal on its
   * licenses (its `sealImage`, or the drawn seal), or a stable error saying
   * why it cannot issue.
   */
  private async credentials(department: DepartmentRecord): Promise<DepartmentCredentials> {
    const signer = await this.deps.signers.signerFor(signingKeyOf(department));
    return { signer, seal: await departmentSeal(department, this.deps.sealImages) };
  }

  private reach(point: IssuancePoint): void {
    this.deps.reached?.(point);
  }

  private async replay(principal: Principal, key: string, requestHash: string): Promise<IssueResult | null> {
    const earlier = await this.deps.store.idempotency.get(principal.clientId, key);
    if (!earlier) return null;
    if (earlier.requestHash !== requestHash) throw new LicenseError('ERR_IDEMPOTENCY_KEY_REUSED');
    const license = await this.deps.store.licenses.findByIdentifier(earlier.resultRef);
    if (!license) throw new NotFoundError('ERR_LICENSE_NOT_FOUND');
    return { license, replayed: true };
  }

  private render(template: LicenseTemplate, license: Omit<LicenseRecord, 'sha256'>, department: DepartmentRecord, seal: SealSpec, now: Date): Promise<PreparedPdf> {
    return this.deps.renderer.render({
      template,
      fields: license.fields,
      license: {
        identifier: license.identifier,
        licenseNumber: license.licenseNumber,
        typeCode: license.typeCode,
        holder: license.holder,
        issuer: license.issuer,
        issueDate: chinaToday(now),
        validFrom: license.validFrom,
        validUntil: license.validUntil,
      },
      verificationUrl: `${this.deps.publicUrl}/v/${license.identifier}?c=${license.verificationCode}`,
      seal,
      signature: {
        fieldName: `Signature-${license.serial}-${license.version}`,
        signingTime: now,
        reason: '颁发电子证照',
        location: department.divisionCode,
        signerName: department.name,
      },
    });
  }

  private async audit(
    tx: IssuanceRepositories,
    principal: Principal,
    record: LicenseRecord,
    action: 'license.issue' | 'license.reissue',
    reason: string | null = null,
  ): Promise<void> {
    await tx.audit.append({
      at: record.issuedAt,
      actor: actorOf(principal),
      action,
      target: record.identifier,
      details: {
        licenseType: record.typeCode,
        holderType: record.holder.type,
        holder: maskHolderNumber({ type: record.holder.type, value: record.holder.number }),
        ...(record.supersedes === null ? {} : { supersedes: record.supersedes }),
        ...(reason === null ? {} : { reason }),
        outcome: 'issued',
      },
    });
  }
}
