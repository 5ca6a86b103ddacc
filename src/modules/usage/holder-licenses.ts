import type { AuditActor, AuditLog } from '../audit/index.js';
import type { HolderNumber } from '../identity/index.js';
import {
  effectiveStatus,
  type EffectiveStatus,
  type HolderFingerprinter,
  type LicenseFile,
  type LicenseFileRepository,
  type LicenseRecord,
  type LicenseRepository,
} from '../licenses/index.js';
import type { TemplateCatalog } from '../templates/index.js';
import type { Clock } from '../../shared/clock.js';
import { NotFoundError } from '../../shared/errors.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import type { FaceImages } from './face-images.js';

/** A signed-in holder, as the use cases need them: whose licenses, and who to write in the audit log. */
export interface HolderViewer {
  readonly holder: HolderNumber;
  readonly actor: AuditActor;
}

/** One of the holder's licenses, as the holder sees it: the record with its type's name and its status now. */
export interface HeldLicense extends LicenseRecord {
  readonly typeName: string | null;
  readonly effectiveStatus: EffectiveStatus;
}

export interface HolderLicenseRepositories {
  readonly licenses: LicenseRepository;
  readonly licenseFiles: LicenseFileRepository;
  readonly audit: AuditLog;
}

export interface HolderLicensesDependencies {
  readonly store: UnitOfWork<HolderLicenseRepositories> & Pick<HolderLicenseRepositories, 'licenses' | 'licenseFiles'>;
  readonly fingerprinter: Pick<HolderFingerprinter, 'fingerprint'>;
  readonly templates: Pick<TemplateCatalog, 'nameOf'>;
  readonly clock: Clock;
  readonly faces: FaceImages;
  /**
   * Told of a holder asking for a license that is not theirs or does not exist (`holder.access.denied`), after the refusal:
   * the composition root writes it as a security event, so that repeats are counted, not each written.
   */
  readonly denied: (event: { readonly actor: AuditActor; readonly target: string; readonly details: Readonly<Record<string, unknown>> }) => Promise<void>;
}

/** Page size of a holder's license list, at most. */
export const HELD_LICENSES_PAGE_MAX = 50;

const owns = (holder: HolderNumber, license: LicenseRecord): boolean => license.holder.type === holder.type && license.holder.number === holder.value;

/**
 * 我的证照: a holder's own licenses, one license, its face as an image, its
 * signed PDF. A license that is not the holder's is answered exactly as one
 * that does not exist (ERR_LICENSE_NOT_FOUND), and the attempt is written as
 * `holder.access.denied` under the owner's fingerprint (it shows in the
 * owner's usage record), with the asking holder's fingerprint beside it for
 * auditors. Reads and downloads of one's own license are audited
 * (`holder.license.read`, `holder.license.download`); the list is not.
 */
export class HolderLicenses {
  constructor(private readonly deps: HolderLicensesDependencies) {}

  async list(viewer: HolderViewer, page: { readonly cursor?: string | undefined; readonly limit: number }): Promise<{ items: HeldLicense[]; nextCursor: string | null }> {
    const limit = Math.max(1, Math.min(HELD_LICENSES_PAGE_MAX, Math.floor(page.limit)));
    const found = await this.deps.store.licenses.listByHolder({
      holderType: viewer.holder.type,
      holderNumber: viewer.holder.value,
      limit,
      ...(page.cursor === undefined ? {} : { cursor: page.cursor }),
    });
    const now = this.deps.clock.now();
    return { items: found.items.map((license) => this.held(license, now)), nextCursor: found.nextCursor };
  }

  async read(viewer: HolderViewer, identifier: string): Promise<HeldLicense> {
    const now = this.deps.clock.now();
    const license = await this.audited(viewer, identifier, 'holder.license.read', { view: 'details' }, async (tx) => (await tx.licenses.findByIdentifier(identifier)) ?? null);
    return this.held(license, now);
  }

  async download(viewer: HolderViewer, identifier: string): Promise<LicenseFile> {
    let file: LicenseFile | null = null;
    await this.audited(viewer, identifier, 'holder.license.download', {}, async (tx) => {
      const license = await tx.licenses.findByIdentifier(identifier);
      if (license && owns(viewer.holder, license)) file = await tx.licenseFiles.get(identifier);
      return license;
    });
    if (!file) throw new NotFoundError('ERR_LICENSE_NOT_FOUND');
    return file;
  }

  /** The license's first page as a PNG, drawn from its signed PDF (cached by the file's hash); audited as a read. */
  async face(viewer: HolderViewer, identifier: string): Promise<Uint8Array> {
    const license = await this.audited(viewer, identifier, 'holder.license.read', { view: 'face' }, async (tx) => (await tx.licenses.findByIdentifier(identifier)) ?? null);
    return this.deps.faces.faceOf(license.sha256, async () => {
      const file = await this.deps.store.licenseFiles.get(license.identifier);
      if (!file) throw new NotFoundError('ERR_LICENSE_NOT_FOUND');
      return file.bytes;
    });
  }

  /**
   * Finds the license in a transaction and audits the holder's use of it there; a license not theirs, or none,
   * is refused with the one not-found and reported to `denied` once the transaction is over.
   */
  private async audited(
    viewer: HolderViewer,
    identifier: string,
    action: string,
    extra: Record<string, unknown>,
    find: (tx: HolderLicenseRepositories) => Promise<LicenseRecord | null>,
  ): Promise<LicenseRecord> {
    const requester = this.deps.fingerprinter.fingerprint(viewer.holder);
    const outcome = await this.deps.store.transaction(async (tx) => {
      const license = await find(tx);
      if (!license || !owns(viewer.holder, license)) return { license: null, owner: license };
      await tx.audit.append({ at: this.deps.clock.now().toISOString(), actor: viewer.actor, action, target: identifier, details: { holderFingerprint: requester, ...extra } });
      return { license, owner: license };
    });
    if (outcome.license) return outcome.license;
    const owner = outcome.owner;
    await this.deps.denied({
      actor: viewer.actor,
      target: identifier.slice(0, 200),
      details: {
        ...(owner ? { holderFingerprint: this.deps.fingerprinter.fingerprint({ type: owner.holder.type, value: owner.holder.number }) } : {}),
        requesterFingerprint: requester,
        tried: action,
      },
    });
    throw new NotFoundError('ERR_LICENSE_NOT_FOUND');
  }

  private held(license: LicenseRecord, now: Date): HeldLicense {
    return { ...license, typeName: this.deps.templates.nameOf(license.typeCode), effectiveStatus: effectiveStatus(license, now) };
  }
}
