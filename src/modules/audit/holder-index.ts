import type { AuditEntry } from './audit-entry.js';
import type { HolderEntriesPage } from './audit-log.js';

/** What the stores index an entry under: its `details.holderFingerprint` when that is a string, else nothing. */
export function indexedHolderFingerprint(details: Readonly<Record<string, unknown>>): string | null {
  const value = details['holderFingerprint'];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** The distinct fingerprints asked for, each a non-empty string; anything else is a programming error. */
export function holderIndexKeys(fingerprints: readonly string[], page: HolderEntriesPage): { keys: readonly string[]; beforeSeq: number; limit: number } {
  if (!Array.isArray(fingerprints) || fingerprints.some((value) => typeof value !== 'string' || value.length === 0)) throw new TypeError('fingerprints must be non-empty strings');
  const beforeSeq = page.beforeSeq ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(beforeSeq)) throw new TypeError('beforeSeq must be a safe integer');
  return { keys: [...new Set(fingerprints)], beforeSeq, limit: Math.max(0, Math.floor(page.limit)) };
}

/** Newest first, `limit` at most, from per-fingerprint pages that are each newest first. */
export function newestOf(pages: readonly (readonly AuditEntry[])[], limit: number): readonly AuditEntry[] {
  if (pages.length === 1) return pages[0]!.slice(0, limit);
  return pages
    .flat()
    .sort((a, b) => b.seq - a.seq)
    .slice(0, limit);
}
