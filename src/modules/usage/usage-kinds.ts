/** What happened to a holder's licenses, as the usage record (用证记录) names it; labels are the pages' business. */
export const USAGE_KINDS = [
  'lookup',
  'redemption',
  'redemption-refused',
  'read',
  'download',
  'copy',
  'share-opened',
  'share-made',
  'share-revoked',
  'authorization-made',
  'authorization-withdrawn',
  'denied',
  'status-change',
  'other',
] as const;
export type UsageKind = (typeof USAGE_KINDS)[number];

const KIND_OF_ACTION: Readonly<Record<string, UsageKind>> = {
  'holder.query': 'lookup',
  'authorization.redeem': 'redemption',
  'authorization.redeem.refused': 'redemption-refused',
  'license.read': 'read',
  'license.download': 'download',
  'copy.make': 'copy',
  'share.open': 'share-opened',
  'share.create': 'share-made',
  'share.revoke': 'share-revoked',
  'authorization.create': 'authorization-made',
  'authorization.withdraw': 'authorization-withdrawn',
  'license.read.denied': 'denied',
  'holder.access.denied': 'denied',
  'license.suspend': 'status-change',
  'license.reinstate': 'status-change',
  'license.revoke': 'status-change',
};

/**
 * The holder's own views and downloads of their own licenses: audited, and
 * found by an auditor's search, but not uses of a license by anyone else, so
 * the usage record leaves them out (else every visit to the page would fill it).
 */
const HOLDERS_OWN_READS: ReadonlySet<string> = new Set(['holder.license.read', 'holder.license.download']);

/** The kind an audit action shows as, or null for the holder's own reads (left out). Actions added later show as `other`. */
export function usageKindOf(action: string): UsageKind | null {
  if (HOLDERS_OWN_READS.has(action)) return null;
  return KIND_OF_ACTION[action] ?? 'other';
}
