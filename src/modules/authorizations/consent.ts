import type { Principal } from '../auth/index.js';
import { effectiveStatus, type LicenseRecord } from '../licenses/index.js';
import type { Clock } from '../../shared/clock.js';
import type { AuthorizationRecord } from './authorization.js';
import type { AuthorizationRepository } from './repository.js';

/** Most of a holder's authorizations read to find the one that covers a license. */
const SCAN_LIMIT = 200;

/**
 * Whether the authorization lets `clientId` read `license` at `now`: the
 * clerk redeemed it, it is neither withdrawn nor expired (its uses may all be
 * taken: a redemption grants reads until the authorization expires), and it
 * names the license, or its type while the license is in force.
 */
export function coversRead(record: AuthorizationRecord, clientId: string, license: LicenseRecord, now: Date): boolean {
  if (record.withdrawnAt !== null || Date.parse(record.expiresAt) <= now.getTime() || !record.redeemedBy.includes(clientId)) return false;
  if (record.holder.type !== license.holder.type || record.holder.value !== license.holder.number) return false;
  return record.licenses.includes(license.identifier) || (record.licenseTypes.includes(license.typeCode) && effectiveStatus(license, now) === 'active');
}

/**
 * The check `VAULT_LOOKUP_POLICY=consent` puts on a clerk's read of one
 * license (its JSON or its PDF): a live authorization of the license's holder
 * that this clerk redeemed covers it.
 */
export function redeemedCoverage(authorizations: Pick<AuthorizationRepository, 'listByHolder'>, clock: Clock): (principal: Principal, license: LicenseRecord) => Promise<boolean> {
  return async (principal, license) => {
    const now = clock.now();
    const records = await authorizations.listByHolder({ type: license.holder.type, value: license.holder.number }, now.toISOString(), SCAN_LIMIT);
    return records.some((record) => coversRead(record, principal.clientId, license, now));
  };
}
