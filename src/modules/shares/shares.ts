import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { auditActor, type AuditLog } from '../audit/index.js';
import { ANONYMOUS, type RequestOrigin } from '../auth/index.js';
import { holderActor, type HolderPrincipal } from '../holders/index.js';
import { LICENSE_IDENTIFIER_MAX_LENGTH, type HolderNumber } from '../identity/index.js';
import { meaningfulPurpose, type HolderFingerprinter, type LicenseRecord, type LicenseRepository } from '../licenses/index.js';
import type { LicenseSummary, VerificationResult } from '../verification/index.js';
import type { Clock } from '../../shared/clock.js';
import { NotFoundError, ShareError } from '../../shared/errors.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import type { ShareCopy, ShareCopyMaker } from './copy-maker.js';
import { recipientOf } from './recipient.js';
import {
  SHARE_LIFETIME_DEFAULT_MINUTES,
  SHARE_LIFETIME_MAX_MINUTES,
  SHARE_LIFETIME_MIN_MINUTES,
  SHARE_LIST_ENDED_DAYS,
  SHARE_MAX_LICENSES,
  SHARE_ONE_TIME_COPY_MINUTES,
  shareStateOf,
  shareViewOf,
  type ShareRecord,
  type ShareState,
  type ShareView,
} from './share.js';
import type { ShareRepository } from './share-repository.js';

/** 256 random bits: guessing a live link within any rate limit is hopeless. */
const TOKEN_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const LIST_LIMIT = 100;
const MINUTE = 60_000;
/** The cause of a not-found that hides another holder's license. */
const DENIED = 'another holder';

const REFUSAL: Readonly<Record<Exclude<ShareState, 'live'>, ShareError['code']>> = {
  expired: 'ERR_SHARE_EXPIRED',
  revoked: 'ERR_SHARE_REVOKED',
  used: 'ERR_SHARE_USED',
};

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** What a share covers and how long it lasts, as the holder asks for it. */
export interface ShareRequest {
  readonly licenses: readonly string[];
  readonly recipient: string;
  readonly purpose: string;
  /** Whole minutes, {@link SHARE_LIFETIME_MIN_MINUTES}..{@link SHARE_LIFETIME_MAX_MINUTES}; 7 days when absent. */
  readonly lifetimeMinutes?: number | undefined;
  readonly oneTime?: boolean | undefined;
}

export interface CreatedShare {
  readonly share: ShareView;
  /** The link's secret, shown to the holder this once: the store keeps only its hash. */
  readonly token: string;
}

/** One shared license as a verifier sees it: its verdict now and the masked summary. */
export interface SharedLicense {
  readonly result: VerificationResult;
  readonly valid: boolean;
  readonly license: LicenseSummary;
}

export interface OpenedShare {
  readonly share: ShareView;
  readonly licenses: readonly SharedLicense[];
}

export interface ShareRepositories {
  readonly shares: ShareRepository;
  readonly licenses: LicenseRepository;
  readonly audit: AuditLog;
}

export type ShareStore = UnitOfWork<ShareRepositories> & ShareRepositories;

export interface HolderSharesDependencies {
  readonly store: ShareStore;
  readonly clock: Clock;
  readonly fingerprinter: HolderFingerprinter;
  /** What a verifier may see of a license (the verification module's summary). */
  readonly summarize: (license: LicenseRecord) => LicenseSummary;
  /** Annotated copies for a share; absent where the vault cannot make them. */
  readonly copies?: ShareCopyMaker | undefined;
  /**
   * Told, after the refusal, of an opening of a known link that no longer
   * opens (expired, revoked, used), so that the holder can see it; the vault
   * writes it as a security event, repeats counted rather than written.
   */
  readonly onRefused?: ((refusal: ShareRefusal) => Promise<void>) | undefined;
}

/** A refused opening of a known link: what the holder's usage record may show of it. */
export interface ShareRefusal {
  readonly shareId: string;
  readonly code: ShareError['code'];
  /** holderFingerprint, purpose, recipient and licenses of the share, as its other audit entries carry them. */
  readonly details: Readonly<Record<string, unknown>>;
  readonly origin?: RequestOrigin | undefined;
}

function holderNumberOf(share: ShareRecord): HolderNumber {
  return { type: share.holderType, value: share.holderNumber };
}

function lifetimeOf(minutes: number | undefined): number {
  const value = minutes ?? SHARE_LIFETIME_DEFAULT_MINUTES;
  if (!Number.isSafeInteger(value) || value < SHARE_LIFETIME_MIN_MINUTES || value > SHARE_LIFETIME_MAX_MINUTES) throw new ShareError('ERR_SHARE_LIFETIME_INVALID');
  return value;
}

function identifiersOf(raw: readonly string[]): string[] {
  const identifiers = [...new Set(raw)];
  if (identifiers.length < 1 || identifiers.length > SHARE_MAX_LICENSES || identifiers.some((id) => typeof id !== 'string' || id.length > LICENSE_IDENTIFIER_MAX_LENGTH)) {
    throw new ShareError('ERR_SHARE_LICENSES_INVALID');
  }
  return identifiers;
}

/**
 * Share links (分享): a holder shows chosen licenses to a third party (a
 * bank, an employer) for a purpose, for a while, once or until revoked. The
 * link carries a random token the vault keeps only the hash of; opening it
 * shows each license's verdict as a verifier sees it and is audited for the
 * holder's usage record.
 */
export class HolderShares {
  constructor(private readonly deps: HolderSharesDependencies) {}

  /** Whether annotated copies can be offered on the shared page. */
  get makesCopies(): boolean {
    return this.deps.copies !== undefined;
  }

  /**
   * A new link for `request`. Every license must be the holder's own:
   * another's is ERR_LICENSE_NOT_FOUND, as for none, and the attempt is audited as denied.
   */
  async create(principal: HolderPrincipal, request: ShareRequest): Promise<CreatedShare> {
    const purpose = meaningfulPurpose(request.purpose);
    const recipient = recipientOf(request.recipient);
    const lifetime = lifetimeOf(request.lifetimeMinutes);
    const licenses = identifiersOf(request.licenses);
    const { store, clock } = this.deps;
    const now = clock.now();
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const share: ShareRecord = {
      id: randomUUID(),
      tokenHash: hashOf(token),
      holderType: principal.holder.type,
      holderNumber: principal.holder.value,
      licenses,
      recipient,
      purpose,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + lifetime * MINUTE).toISOString(),
      oneTime: request.oneTime ?? false,
      openCount: 0,
      firstOpenedAt: null,
      revokedAt: null,
    };
    await store
      .transaction(async (tx) => {
        for (const identifier of licenses) {
          const license = await tx.licenses.findByIdentifier(identifier);
          if (!license) throw new NotFoundError('ERR_LICENSE_NOT_FOUND');
          if (license.holder.type !== share.holderType || license.holder.number !== share.holderNumber) {
            throw new NotFoundError('ERR_LICENSE_NOT_FOUND', undefined, { identifier }, { cause: DENIED });
          }
        }
        await tx.shares.insert(share);
        await tx.audit.append({
          at: share.createdAt,
          actor: holderActor(principal),
          action: 'share.create',
          target: share.id,
          details: { ...this.auditDetails(share), expiresAt: share.expiresAt, oneTime: share.oneTime },
        });
      })
      .catch((error: unknown) => this.rethrowDenied(error, principal, now));
    return { share: shareViewOf(share, now), token };
  }

  /** The holder's shares, newest first: live ones and those that ended in the last days, each with its state. */
  async list(principal: HolderPrincipal): Promise<ShareView[]> {
    const now = this.deps.clock.now();
    const since = new Date(now.getTime() - SHARE_LIST_ENDED_DAYS * 24 * 60 * MINUTE).toISOString();
    const shares = await this.deps.store.shares.listByHolder(principal.holder.type, principal.holder.value, since, LIST_LIMIT);
    return shares.map((share) => shareViewOf(share, now));
  }

  /** Ends a share of the holder's at once; revoking it again changes nothing. Another holder's share is ERR_SHARE_NOT_FOUND, as for none. */
  async revoke(principal: HolderPrincipal, id: string): Promise<ShareView> {
    const now = this.deps.clock.now();
    const revoked = await this.deps.store.transaction(async (tx) => {
      const share = typeof id === 'string' ? await tx.shares.findById(id) : null;
      if (!share || share.holderType !== principal.holder.type || share.holderNumber !== principal.holder.value) throw new ShareError('ERR_SHARE_NOT_FOUND');
      if (share.revokedAt !== null) return share;
      const changed = await tx.shares.revoke(share.id, now.toISOString());
      if (!changed) throw new ShareError('ERR_SHARE_NOT_FOUND');
      await tx.audit.append({ at: now.toISOString(), actor: holderActor(principal), action: 'share.revoke', target: share.id, details: this.auditDetails(share) });
      return changed;
    });
    return shareViewOf(revoked, now);
  }

  /**
   * Whether a link would open now, and whether it opens once only, without
   * opening it (nothing counted, nothing audited): so that a link preview or
   * a HEAD request does not use up a one-time link. Refusals as for {@link open}.
   */
  async check(token: string, origin?: RequestOrigin): Promise<{ readonly oneTime: boolean }> {
    const now = this.deps.clock.now();
    const share = TOKEN_SHAPE.test(token) ? await this.deps.store.shares.findByTokenHash(hashOf(token)) : null;
    if (!share || shareStateOf(share, now) !== 'live') throw await this.refused(share, now, origin);
    return { oneTime: share.oneTime };
  }

  /**
   * Opens a link: counts and audits the opening (`share.open`, for the
   * holder's usage record) and answers each license's verdict. One error per
   * cause, saying nothing of what the link covers: ERR_SHARE_NOT_FOUND (a
   * malformed or unknown token), ERR_SHARE_EXPIRED, ERR_SHARE_REVOKED,
   * ERR_SHARE_USED (a one-time link opened before).
   */
  async open(token: string, origin?: RequestOrigin): Promise<OpenedShare> {
    const now = this.deps.clock.now();
    const tokenHash = TOKEN_SHAPE.test(token) ? hashOf(token) : null;
    if (tokenHash === null) throw new ShareError('ERR_SHARE_NOT_FOUND');
    const outcome = await this.deps.store.transaction(async (tx): Promise<{ share: ShareRecord; licenses: LicenseRecord[] } | { share: null; refused: ShareRecord | null }> => {
      const opened = await tx.shares.recordOpening(tokenHash, now.toISOString());
      if (!opened) return { share: null, refused: await tx.shares.findByTokenHash(tokenHash) };
      await this.auditOpening(tx, opened, now, origin);
      const licenses = await Promise.all(opened.licenses.map((identifier) => tx.licenses.findByIdentifier(identifier)));
      return { share: opened, licenses: licenses.filter((license): license is LicenseRecord => license !== null) };
    });
    if (outcome.share === null) throw await this.refused(outcome.refused, now, origin);
    return { share: shareViewOf(outcome.share, now), licenses: outcome.licenses.map((license) => this.verdictOf(license)) };
  }

  /**
   * The annotated copy of one shared license, made for the share's recipient
   * and purpose and valid until the share ends. A one-time link gives copies
   * for {@link SHARE_ONE_TIME_COPY_MINUTES} after its one opening (a copy
   * asked before the page was opened is that opening). A license the share
   * does not cover is ERR_LICENSE_NOT_FOUND.
   */
  async copy(token: string, identifier: string, origin?: RequestOrigin): Promise<ShareCopy> {
    const copies = this.deps.copies;
    if (!copies) throw new ShareError('ERR_SHARE_COPY_UNAVAILABLE');
    const now = this.deps.clock.now();
    const tokenHash = TOKEN_SHAPE.test(token) ? hashOf(token) : null;
    const found = tokenHash === null ? null : await this.deps.store.shares.findByTokenHash(tokenHash);
    if (!found || tokenHash === null) throw new ShareError('ERR_SHARE_NOT_FOUND');
    const state = shareStateOf(found, now);
    const openedLately =
      state === 'used' &&
      found.firstOpenedAt !== null &&
      now.getTime() < Date.parse(found.firstOpenedAt) + SHARE_ONE_TIME_COPY_MINUTES * MINUTE &&
      Date.parse(found.expiresAt) > now.getTime();
    if (state !== 'live' && !openedLately) throw await this.refused(found, now, origin);
    if (!found.licenses.includes(identifier)) throw new NotFoundError('ERR_LICENSE_NOT_FOUND');
    const share = state === 'live' && found.oneTime ? await this.countOpening(tokenHash, now, origin) : found;
    return copies.make({ identifier, recipient: share.recipient, purpose: share.purpose, validUntil: share.expiresAt, holder: holderNumberOf(share), shareId: share.id });
  }

  /** Counts and audits one opening of a one-time share, or throws why it could not be counted. */
  private async countOpening(tokenHash: string, now: Date, origin: RequestOrigin | undefined): Promise<ShareRecord> {
    const opened = await this.deps.store.transaction(async (tx) => {
      const share = await tx.shares.recordOpening(tokenHash, now.toISOString());
      if (share) await this.auditOpening(tx, share, now, origin);
      return share;
    });
    if (!opened) throw await this.refused(await this.deps.store.shares.findByTokenHash(tokenHash), now, origin);
    return opened;
  }

  private verdictOf(license: LicenseRecord): SharedLicense {
    const summary = this.deps.summarize(license);
    const result: VerificationResult = summary.status === 'active' ? 'authentic' : summary.status;
    return { result, valid: result === 'authentic', license: summary };
  }

  /** The error for an opening of `share` (null: unknown) that did not count, after telling onRefused of a known share's. */
  private async refused(share: ShareRecord | null, now: Date, origin: RequestOrigin | undefined): Promise<ShareError> {
    if (!share) return new ShareError('ERR_SHARE_NOT_FOUND');
    const state = shareStateOf(share, now);
    // Live when read again: a one-time opening lost to another at the same instant.
    const code = state === 'live' ? 'ERR_SHARE_USED' : REFUSAL[state];
    await this.deps.onRefused?.({ shareId: share.id, code, details: this.auditDetails(share), origin });
    return new ShareError(code);
  }

  private async auditOpening(tx: ShareRepositories, share: ShareRecord, now: Date, origin: RequestOrigin | undefined): Promise<void> {
    await tx.audit.append({
      at: now.toISOString(),
      actor: auditActor(ANONYMOUS.id, ANONYMOUS.role, origin),
      action: 'share.open',
      target: share.id,
      details: { ...this.auditDetails(share), opening: share.openCount },
    });
  }

  private auditDetails(share: ShareRecord): Record<string, unknown> {
    return {
      holderFingerprint: this.deps.fingerprinter.fingerprint(holderNumberOf(share)),
      purpose: share.purpose,
      recipient: share.recipient,
      licenses: share.licenses,
    };
  }

  /** Rethrows `error`, first auditing a share of another holder's license as a denied attempt on it. */
  private async rethrowDenied(error: unknown, principal: HolderPrincipal, now: Date): Promise<never> {
    if (error instanceof NotFoundError && error.cause === DENIED) {
      const identifier = String(error.details?.identifier);
      const owner = await this.deps.store.licenses.findByIdentifier(identifier);
      await this.deps.store.audit.append({
        at: now.toISOString(),
        actor: holderActor(principal),
        action: 'holder.access.denied',
        target: identifier,
        details: {
          ...(owner ? { holderFingerprint: this.deps.fingerprinter.fingerprint({ type: owner.holder.type, value: owner.holder.number }) } : {}),
          requesterFingerprint: this.deps.fingerprinter.fingerprint(principal.holder),
          attempted: 'share.create',
        },
      });
      throw new NotFoundError('ERR_LICENSE_NOT_FOUND');
    }
    throw error;
  }
}
