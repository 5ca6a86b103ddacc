import type { SecurityEventRecorder } from '../modules/audit/index.js';
import type { HolderFingerprinter } from '../modules/licenses/index.js';
import type { TemplateCatalog } from '../modules/templates/index.js';
import { FaceImages, HolderLicenses, UsageRecord, type LicenseFaceRenderer } from '../modules/usage/index.js';
import type { Clock } from '../shared/clock.js';
import type { VaultStore } from './vault-store.js';

/** How many license faces are kept drawn: about 0.2 MB each at scale 2. */
const FACES_KEPT = 64;

/** The faces of licenses, drawn once and kept for holders and staff alike. */
export function licenseFaceImages(renderer: LicenseFaceRenderer): FaceImages {
  return new FaceImages(renderer, FACES_KEPT);
}

/** 我的证照 and 用证记录 over the store: a holder's refused reads become `holder.access.denied` security events (repeats counted, not each written). */
export function holderUsage(deps: {
  readonly store: VaultStore;
  readonly fingerprinter: HolderFingerprinter;
  readonly templates: TemplateCatalog;
  readonly clock: Clock;
  readonly securityEvents: Pick<SecurityEventRecorder, 'record'>;
  readonly faces: FaceImages;
}): { readonly licenses: HolderLicenses; readonly usage: UsageRecord } {
  const { store, fingerprinter, templates, clock } = deps;
  return {
    licenses: new HolderLicenses({
      store,
      fingerprinter,
      templates,
      clock,
      faces: deps.faces,
      denied: (event) => deps.securityEvents.record({ action: 'holder.access.denied', ...event }),
    }),
    usage: new UsageRecord({ store, fingerprinter, templates, clock }),
  };
}
