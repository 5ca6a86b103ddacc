import { AnnotatedCopyComposer, type CopyFonts } from '../adapters/pdf/annotated-copy-composer.js';
import { CadesSignedDataBuilder } from '../adapters/pki/cms/signed-data-builder.js';
import { PLATFORM_KEY_NAME } from '../adapters/pki/pki-directory.js';
import { fixedMaskQrEncoder } from '../adapters/qr/qrcode-encoder.js';
import { ANONYMOUS } from '../modules/auth/index.js';
import { AnnotatedCopies, type CopyStore } from '../modules/copies/index.js';
import { chinaToday, SERVICE_ITEM_MAX_LENGTH, type ConsentCheck, type HolderFingerprinter } from '../modules/licenses/index.js';
import type { ShareCopyMaker } from '../modules/shares/index.js';
import { PadesSigner, type SignerProvider } from '../modules/signing/index.js';
import type { Clock } from '../shared/clock.js';

export interface AnnotatedCopiesWiring {
  readonly store: CopyStore;
  readonly fonts: CopyFonts;
  /** The provider of department keys: it holds the platform's too, under {@link PLATFORM_KEY_NAME} (a key store or a PKCS#11 key). */
  readonly signers: SignerProvider;
  readonly fingerprinter: HolderFingerprinter;
  readonly clock: Clock;
  readonly publicUrl: string;
  /** Under VAULT_LOOKUP_POLICY=consent: what a clerk's redemptions cover. */
  readonly consent?: ConsentCheck | undefined;
}

/** Annotated copies (加注件): composed from the stored original's bytes on this thread, signed with the platform key. */
export function annotatedCopies(wiring: AnnotatedCopiesWiring): AnnotatedCopies {
  return new AnnotatedCopies({
    store: wiring.store,
    composer: new AnnotatedCopyComposer(wiring.fonts, fixedMaskQrEncoder),
    pades: new PadesSigner(new CadesSignedDataBuilder()),
    platformSigner: () => wiring.signers.signerFor(PLATFORM_KEY_NAME),
    fingerprinter: wiring.fingerprinter,
    clock: wiring.clock,
    publicUrl: wiring.publicUrl,
    consent: wiring.consent,
  });
}

/**
 * Copies for share links: made when the recipient opens the link, for the
 * recipient as the office, the share's purpose as service item (its first
 * 100 characters) and purpose, valid to the China day the share ends, of
 * the sharing holder's own licenses only; audited with the share's id.
 */
export function shareCopyMaker(copies: AnnotatedCopies): ShareCopyMaker {
  return {
    make: async (request) => {
      const made = await copies.make({
        identifier: request.identifier,
        office: { name: request.recipient, creditCode: null },
        serviceItem: [...request.purpose].slice(0, SERVICE_ITEM_MAX_LENGTH).join(''),
        purpose: request.purpose,
        validUntil: chinaToday(new Date(request.validUntil)),
        actor: ANONYMOUS,
        holder: request.holder,
        auditDetails: { shareId: request.shareId },
      });
      return { copyId: made.copyId, pdf: made.pdf };
    },
  };
}
