import type { Principal } from '../auth/index.js';
import type { LicenseFileRepository, LicenseQueries } from '../licenses/index.js';
import { NotFoundError } from '../../shared/errors.js';
import type { FaceImages } from './face-images.js';

export interface StaffLicenseFacesDependencies {
  /** The read that decides who may see the license and audits it (`license.read`). */
  readonly queries: Pick<LicenseQueries, 'read'>;
  readonly files: Pick<LicenseFileRepository, 'get'>;
  readonly faces: FaceImages;
}

/**
 * A license's face for staff at the window: read exactly as
 * `GET /api/v1/licenses/{identifier}` reads it (same access rules, consent
 * check and audit), then drawn from its signed PDF (cached by the file's hash).
 */
export class StaffLicenseFaces {
  constructor(private readonly deps: StaffLicenseFacesDependencies) {}

  async face(principal: Principal, identifier: string, purpose: string, serviceItem?: string): Promise<Uint8Array> {
    const license = await this.deps.queries.read(principal, identifier, purpose, serviceItem);
    return this.deps.faces.faceOf(license.sha256, async () => {
      const file = await this.deps.files.get(license.identifier);
      if (!file) throw new NotFoundError('ERR_LICENSE_NOT_FOUND');
      return file.bytes;
    });
  }
}
