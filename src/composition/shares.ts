import { auditActor, type SecurityEventRecorder } from '../modules/audit/index.js';
import { ANONYMOUS } from '../modules/auth/index.js';
import type { HolderFingerprinter } from '../modules/licenses/index.js';
import { HolderShares, type ShareCopyMaker, type ShareStore } from '../modules/shares/index.js';
import type { LicenseVerification } from '../modules/verification/index.js';
import type { Clock } from '../shared/clock.js';

export interface HolderSharesWiring {
  readonly store: ShareStore;
  readonly clock: Clock;
  readonly fingerprinter: HolderFingerprinter;
  readonly verification: Pick<LicenseVerification, 'summary'>;
  readonly securityEvents: Pick<SecurityEventRecorder, 'record'>;
  readonly copies?: ShareCopyMaker | undefined;
}

/**
 * Holders' share links: verdicts from the verification module's summary;
 * refused openings of known links written as `share.open.refused` security
 * events (the holder's fingerprint in them, repeats from one client counted,
 * not written).
 */
export function holderShares(wiring: HolderSharesWiring): HolderShares {
  return new HolderShares({
    store: wiring.store,
    clock: wiring.clock,
    fingerprinter: wiring.fingerprinter,
    summarize: (license) => wiring.verification.summary(license),
    copies: wiring.copies,
    onRefused: (refusal) =>
      wiring.securityEvents.record({
        action: 'share.open.refused',
        actor: auditActor(ANONYMOUS.id, ANONYMOUS.role, refusal.origin),
        target: refusal.shareId,
        details: { ...refusal.details, code: refusal.code },
      }),
  });
}
