import type { HolderNumber } from '../identity/index.js';

/** What a share asks of the annotated copies (加注件): a copy of one license for the share's recipient, purpose and time. */
export interface ShareCopyRequest {
  readonly identifier: string;
  /** The office the copy is for: the share's recipient. */
  readonly recipient: string;
  /** The service item and purpose the annotation names: the share's purpose. */
  readonly purpose: string;
  /** The copy's validity ends with the share's (ISO 8601 instant). */
  readonly validUntil: string;
  /** Whose license it is (checked again by the maker), and whose usage record the copy goes to. */
  readonly holder: HolderNumber;
  /** The share it was made for, for the audit entry. */
  readonly shareId: string;
}

export interface ShareCopy {
  readonly copyId: string;
  readonly pdf: Uint8Array;
}

/** Makes, signs and audits (`copy.make`) an annotated copy; implemented by the annotated-copies use case. */
export interface ShareCopyMaker {
  make(request: ShareCopyRequest): Promise<ShareCopy>;
}
