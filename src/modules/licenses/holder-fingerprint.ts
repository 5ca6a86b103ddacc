import { createHash, createHmac } from 'node:crypto';
import type { HolderNumber } from '../identity/index.js';

/**
 * The secrets audit fingerprints are keyed with: `current` signs new entries,
 * every key kept still finds the entries written under it. A key destroyed
 * makes its entries unsearchable (and unlinkable to a number) for good.
 */
export interface FingerprintKeyRing {
  readonly current: string;
  readonly keys: ReadonlyMap<string, Uint8Array>;
}

/** How audit entries name a holder without the log holding, or leading back to, the number. */
export interface HolderFingerprinter {
  /** The id of the key new fingerprints are made with. */
  readonly keyId: string;
  /** What a new audit entry records for `holder`: `hmac-sha256:{keyId}:{hex}`. */
  fingerprint(holder: HolderNumber): string;
  /** Every fingerprint `holder` may have been recorded under, one per kept key: what an auditor searches for. */
  candidates(holder: HolderNumber): readonly string[];
  /** The keyed form, under the current key, of a fingerprint written before keys (a bare SHA-256 hex), without knowing the number. */
  fromUnkeyed(unkeyed: string): string;
}

/** A key id: short, and safe inside the `:`-separated fingerprint. */
export const FINGERPRINT_KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const KEYED = /^hmac-sha256:([A-Za-z0-9._-]{1,64}):([0-9a-f]{64})$/;
const UNKEYED = /^[0-9a-f]{64}$/;

/** The fingerprint audit entries held before issue 15: SHA-256 of `{type}:{value}`, which 18,000 guesses reverse. Only the keyed form may be stored. */
export function unkeyedHolderFingerprint(holder: HolderNumber): string {
  return createHash('sha256').update(`${holder.type}:${holder.value}`).digest('hex');
}

/** True for a bare SHA-256 hex fingerprint (one to re-key). */
export function isUnkeyedHolderFingerprint(value: unknown): value is string {
  return typeof value === 'string' && UNKEYED.test(value);
}

/** The key id of a keyed fingerprint, or null when it is not one. */
export function fingerprintKeyId(value: string): string | null {
  return KEYED.exec(value)?.[1] ?? null;
}

function keyed(keyId: string, secret: Uint8Array, unkeyed: string): string {
  return `hmac-sha256:${keyId}:${createHmac('sha256', secret).update(unkeyed).digest('hex')}`;
}

/**
 * HMAC-SHA256 over the unkeyed fingerprint, so that entries written before
 * keys convert without the number and match new ones for the same holder.
 */
export function keyedHolderFingerprinter(ring: FingerprintKeyRing): HolderFingerprinter {
  const current = ring.keys.get(ring.current);
  if (!current) throw new TypeError(`the fingerprint key ring lacks its current key ${ring.current}`);
  for (const id of ring.keys.keys()) if (!FINGERPRINT_KEY_ID.test(id)) throw new TypeError(`fingerprint key id ${id} is not 1-64 of A-Z a-z 0-9 . _ -`);
  return {
    keyId: ring.current,
    fingerprint: (holder) => keyed(ring.current, current, unkeyedHolderFingerprint(holder)),
    candidates: (holder) => [...ring.keys].map(([id, secret]) => keyed(id, secret, unkeyedHolderFingerprint(holder))),
    fromUnkeyed: (unkeyed) => {
      if (!isUnkeyedHolderFingerprint(unkeyed)) throw new TypeError('not an unkeyed holder fingerprint');
      return keyed(ring.current, current, unkeyed);
    },
  };
}

/**
 * The details of an audit entry with an unkeyed `holderFingerprint` made
 * keyed; null when there is nothing to change.
 */
export function rekeyedHolderDetails(details: Readonly<Record<string, unknown>>, fingerprinter: HolderFingerprinter): Record<string, unknown> | null {
  const value = details['holderFingerprint'];
  if (!isUnkeyedHolderFingerprint(value)) return null;
  return { ...details, holderFingerprint: fingerprinter.fromUnkeyed(value) };
}
