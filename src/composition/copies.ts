import { AnnotatedCopyComposer, type CopyFonts } from '../adapters/pdf/annotated-copy-composer.js';
import { CadesSignedDataBuilder } from '../adapters/pki/cms/signed-data-builder.js';
import { PLATFORM_KEY_NAME } from '../adapters/pki/pki-directory.js';
import { fixedMaskQrEncoder } from '../adapters/qr/qrcode-encoder.js';
import { AnnotatedCopies, type CopyStore } from '../modules/copies/index.js';
import type { HolderFingerprinter } from '../modules/licenses/index.js';
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
  });
}
