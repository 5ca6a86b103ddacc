import { createHash, type Hash } from 'node:crypto';

/** The entry a re-key appends after the entries it re-chained. */
export const AUDIT_REKEY_ACTION = 'audit.rekey';

/** What an `audit.rekey` entry commits to (ADR 0010). */
export interface AuditRekeyDetails {
  /** First and last entry re-chained: every entry between them carries its old hash as `legacyHash`. */
  readonly fromSeq: number;
  readonly throughSeq: number;
  /** The old hash of entry `throughSeq`: what a checkpoint taken just before the re-key holds. */
  readonly legacyHead: string;
  /** SHA-256 hex over the legacy hashes of `fromSeq`…`throughSeq`, concatenated in order as hex text. */
  readonly legacyHashesDigest: string;
  /** The key the rewritten details were made with. */
  readonly keyId: string;
  /** How many entries had their details rewritten (the others were only re-linked). */
  readonly rewritten: number;
}

/** The legacy hashes of a re-chained run, folded as the run is walked: one re-key writes them, verification reads them back. */
export class LegacyHashes {
  #digest: Hash = createHash('sha256');
  fromSeq: number | null = null;
  throughSeq = 0;
  head = '';

  add(seq: number, legacyHash: string): void {
    if (this.fromSeq === null) {
      this.fromSeq = seq;
      this.#digest = createHash('sha256');
    }
    this.#digest.update(legacyHash);
    this.throughSeq = seq;
    this.head = legacyHash;
  }

  /** Ends the run: what its `audit.rekey` entry must say, or null when no run is open. */
  close(): Omit<AuditRekeyDetails, 'keyId' | 'rewritten'> | null {
    if (this.fromSeq === null) return null;
    const run = { fromSeq: this.fromSeq, throughSeq: this.throughSeq, legacyHead: this.head, legacyHashesDigest: this.#digest.digest('hex') };
    this.fromSeq = null;
    return run;
  }
}
