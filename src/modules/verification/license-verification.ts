import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { lastTextEntry } from '../../lib/pdf-bytes/index.js';
import { claimsToBeCopy, COPY_ID_PATTERN, copyMetadataIn, type CopyRepository } from '../copies/index.js';
import { LICENSE_IDENTIFIER_MAX_LENGTH, maskHolderNumber } from '../identity/index.js';
import { chinaToday, effectiveStatus, type EffectiveStatus, type LicenseRecord, type LicenseRepository } from '../licenses/index.js';
import type { TemplateCatalog } from '../templates/index.js';
import type { Clock } from '../../shared/clock.js';
import { judgeCopy, platformSignerCheck, type CopySummary } from './copy-verification.js';
import type { PdfSignatureVerifier, SignatureCheck, SignatureCheckName } from './verdict.js';
import type { VerificationTally } from './verification-counts.js';

export const VERIFICATION_RESULTS = [
  'authentic',
  'revoked',
  'suspended',
  'expired',
  'superseded',
  'tampered',
  'untrusted-signer',
  'not-issued-here',
  'malformed',
  'authentic-copy',
  'copy-expired',
] as const;
export type VerificationResult = (typeof VERIFICATION_RESULTS)[number];

/** What anyone verifying may see of a license: no fields, the holder number masked. */
export interface LicenseSummary {
  readonly licenseType: { readonly code: string; readonly name: string | null };
  readonly identifier: string;
  readonly licenseNumber: string;
  readonly issuer: { readonly name: string; readonly creditCode: string };
  readonly holderName: string;
  readonly holderId: string;
  readonly issuedAt: string;
  readonly validFrom: string;
  readonly validUntil: string | null;
  readonly status: EffectiveStatus;
}

export interface VerificationCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * A field check's answer. Anything but a full match, an unknown license
 * included, is the one answer `inconsistent`, naming no field: a stranger
 * walking license numbers or guessing ID numbers learns nothing from it.
 */
export type FieldCheck = { readonly result: 'consistent'; readonly license: LicenseSummary } | { readonly result: 'inconsistent' };

export interface FileVerification {
  readonly result: VerificationResult;
  /** An authentic license in force, or an authentic copy within its validity of a license in force. */
  readonly valid: boolean;
  /** The license, or for a copy its original. */
  readonly license?: LicenseSummary;
  /** Present when the file is an annotated copy (加注件) this vault made. */
  readonly copy?: CopySummary;
  readonly checks: readonly VerificationCheck[];
}

/** The verdict on a QR link: a license's, or an annotated copy's with its original. */
export interface CodeVerification {
  readonly result: VerificationResult;
  readonly valid: boolean;
  readonly license: LicenseSummary;
  readonly copy?: CopySummary;
}

const MALFORMED: readonly SignatureCheckName[] = ['pdf-structure', 'signature-present', 'cms-structure'];
const UNTRUSTED: readonly SignatureCheckName[] = ['certificate-chain', 'certificate-validity', 'key-usage'];
/** The document information entry in which the vault writes every license's identifier. */
const IDENTIFIER_KEY = 'LicenseIdentifier';

/** What a file whose first failing signature check is `check` is: unreadable, signed by someone not trusted, or altered. */
export function resultOfFailedCheck(check: SignatureCheckName): VerificationResult {
  return MALFORMED.includes(check) ? 'malformed' : UNTRUSTED.includes(check) ? 'untrusted-signer' : 'tampered';
}

/** A fixed-length digest of a holder's name and number, compared in constant time. */
function holderDigest(name: string, number: string): Buffer {
  return createHash('sha256')
    .update(JSON.stringify([name, number]))
    .digest();
}

function resultOf(license: LicenseRecord, now: Date): VerificationResult {
  const status = effectiveStatus(license, now);
  return status === 'active' ? 'authentic' : status;
}

/** Whether `given` is `expected`, in constant time; a missing `expected` is compared with a stand-in and never matches. */
function codeMatches(expected: string | undefined, given: string): boolean {
  const wanted = Buffer.from(expected ?? 'x'.repeat(22));
  const offered = Buffer.from(given.padEnd(wanted.length, '\0').slice(0, 200));
  return offered.length === wanted.length && timingSafeEqual(offered, wanted) && expected !== undefined;
}

/** The identifier a file carries in its metadata, if any (the last one written wins, as in an incremental update). */
export function identifierInFile(pdf: Uint8Array): string | null {
  return lastTextEntry(pdf, IDENTIFIER_KEY) || null;
}

/** Verification only reads licenses, outside any transaction. */
export interface VerificationStore {
  readonly licenses: LicenseRepository;
  readonly copies: CopyRepository;
}

/**
 * Verification for any office, with no account: a file (exact bytes the vault
 * issued, else the strict signature verifier, then the identifier it carries),
 * or a QR code (identifier and verification code). Answers hold a masked
 * summary only, and never throw on hostile input.
 */
export class LicenseVerification {
  /** What a field check compares with when no license has the number given: no name and number can hash to it. */
  private readonly noHolder = randomBytes(32);

  constructor(
    private readonly store: VerificationStore,
    private readonly verifier: PdfSignatureVerifier,
    private readonly templates: TemplateCatalog,
    private readonly clock: Clock,
    /** Told of each verification that resolved to a license (anonymous: the identifier only). */
    private readonly tally?: Pick<VerificationTally, 'count'>,
  ) {}

  summary(license: LicenseRecord): LicenseSummary {
    return {
      licenseType: { code: license.typeCode, name: this.templates.nameOf(license.typeCode) },
      identifier: license.identifier,
      licenseNumber: license.licenseNumber,
      issuer: license.issuer,
      holderName: license.holder.name,
      holderId: maskHolderNumber({ type: license.holder.type, value: license.holder.number }),
      issuedAt: license.issuedAt,
      validFrom: license.validFrom,
      validUntil: license.validUntil,
      status: effectiveStatus(license, this.clock.now()),
    };
  }

  async verifyFile(pdf: Uint8Array): Promise<FileVerification> {
    const now = this.clock.now();
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const known = await this.store.licenses.findBySha256(sha256);
    if (known) {
      this.tally?.count(known.identifier);
      const result = resultOf(known, now);
      return {
        result,
        valid: result === 'authentic',
        license: this.summary(known),
        checks: [{ name: 'issued-file', ok: true, detail: 'these are exactly the bytes the vault issued' }, this.statusCheck(known, now)],
      };
    }
    const knownCopy = await this.store.copies.findBySha256(sha256);
    if (knownCopy) {
      const original = await this.store.licenses.findByIdentifier(knownCopy.originalIdentifier);
      const judged = judgeCopy(knownCopy, copyMetadataIn(pdf), original, now);
      return {
        result: judged.result,
        valid: judged.valid,
        ...(original && judged.result !== 'not-issued-here' ? { license: this.summary(original) } : {}),
        copy: judged.copy,
        checks: [{ name: 'issued-file', ok: true, detail: 'these are exactly the bytes of an annotated copy this vault made' }, ...judged.checks],
      };
    }
    // Read before the verifier takes the bytes over.
    const identifier = identifierInFile(pdf);
    const claimsCopy = claimsToBeCopy(pdf);
    const copyMetadata = claimsCopy ? copyMetadataIn(pdf) : null;
    const verdict = await this.verifier.verify(pdf);
    const checks: VerificationCheck[] = [{ name: 'issued-file', ok: false, detail: 'not byte for byte a file this vault issued: checking the signature' }, ...verdict.checks];
    const failed = verdict.checks.find((check: SignatureCheck) => !check.ok);
    if (failed) {
      return { result: resultOfFailedCheck(failed.name), valid: false, checks };
    }
    if (claimsCopy || verdict.copySigner) {
      // A copy is signed by the platform, and the platform signs nothing but copies: either without the other is a forgery.
      const signerCheck = platformSignerCheck(verdict);
      checks.push(signerCheck);
      if (!signerCheck.ok) return { result: 'untrusted-signer', valid: false, checks };
      if (copyMetadata === null) {
        checks.push({ name: 'copy-metadata', ok: false, detail: 'signed by the platform but carries no complete annotated-copy metadata' });
        return { result: 'tampered', valid: false, checks };
      }
      const record = await this.store.copies.findById(copyMetadata.copyId);
      checks.push(
        record
          ? { name: 'copy-known', ok: false, detail: 'the copy’s id is known to this vault, but these are not the bytes it made' }
          : { name: 'copy-known', ok: false, detail: 'this vault made no annotated copy with the id the file carries' },
      );
      return { result: record ? 'tampered' : 'not-issued-here', valid: false, checks };
    }
    const license = identifier === null ? null : await this.store.licenses.findByIdentifier(identifier);
    if (!license) {
      checks.push({
        name: 'issued-here',
        ok: false,
        detail: identifier === null ? 'the file names no license identifier' : 'this vault has no license with the identifier the file carries',
      });
      return { result: 'not-issued-here', valid: false, checks };
    }
    // Correctly signed, names a license of this vault, yet not its bytes: a reused identifier.
    checks.push({ name: 'issued-here', ok: false, detail: 'the file carries the identifier of a license of this vault but is not that license' });
    return { result: 'tampered', valid: false, checks };
  }

  /** The verdict for a copy's QR link: the copy's, with its original's summary. An unknown id and a wrong code give the same answer: null. */
  async verifyCopyCode(copyId: string, code: string): Promise<CodeVerification | null> {
    const record = COPY_ID_PATTERN.test(copyId) ? await this.store.copies.findById(copyId) : null;
    if (!codeMatches(record?.verificationCode, code) || !record) return null;
    const original = await this.store.licenses.findByIdentifier(record.originalIdentifier);
    if (!original) return null;
    const metadata = { ...record, madeAt: record.createdAt, office: record.office };
    const judged = judgeCopy(record, metadata, original, this.clock.now());
    return { result: judged.result === 'not-issued-here' ? 'tampered' : judged.result, valid: judged.valid, license: this.summary(original), copy: judged.copy };
  }

  /** The verdict for a QR link. An unknown identifier and a wrong code give the same answer: null. */
  async verifyCode(identifier: string, code: string): Promise<CodeVerification | null> {
    const license = identifier.length <= LICENSE_IDENTIFIER_MAX_LENGTH ? await this.store.licenses.findByIdentifier(identifier) : null;
    const expected = Buffer.from(license?.verificationCode ?? 'x'.repeat(22));
    const given = Buffer.from(code.padEnd(expected.length, '\0').slice(0, 200));
    const matches = given.length === expected.length && timingSafeEqual(given, expected);
    if (!license || !matches) return null;
    this.tally?.count(license.identifier);
    const result = resultOf(license, this.clock.now());
    return { result, valid: result === 'authentic', license: this.summary(license) };
  }

  /**
   * For offices holding only paper or a photo: does a license with this
   * identifier (or license number) belong to this holder? The summary is
   * shown only when name and number both match; any other case, an unknown
   * license included, is `inconsistent`, after the same work (a look-up,
   * then a constant-time comparison against the license's holder or a
   * stand-in), so neither the answer nor its timing tells which.
   */
  async checkFields(input: { readonly identifier?: string; readonly licenseNumber?: string; readonly holderName: string; readonly holderId: string }): Promise<FieldCheck> {
    const candidates =
      input.identifier !== undefined
        ? [await this.store.licenses.findByIdentifier(input.identifier)].filter((license): license is LicenseRecord => license !== null)
        : await this.store.licenses.findAllByLicenseNumber(input.licenseNumber ?? '');
    const given = holderDigest(input.holderName.trim().normalize('NFC'), input.holderId.trim().toUpperCase());
    let match: LicenseRecord | null = null;
    for (const license of candidates.length > 0 ? candidates : [null]) {
      const expected = license ? holderDigest(license.holder.name, license.holder.number) : this.noHolder;
      if (timingSafeEqual(given, expected) && match === null) match = license;
    }
    if (!match) return { result: 'inconsistent' };
    this.tally?.count(match.identifier);
    return { result: 'consistent', license: this.summary(match) };
  }

  /** The status and the date (in China) it changed; never the issuer's free-text reason, which may name a person or hold an ID number. */
  private statusCheck(license: LicenseRecord, now: Date): VerificationCheck {
    const status = effectiveStatus(license, now);
    if (status === 'active') return { name: 'status', ok: true, detail: 'the license is in force' };
    const since = status === 'expired' ? `valid until ${license.validUntil ?? ''}` : license.statusChangedAt ? `since ${chinaToday(new Date(license.statusChangedAt))}` : null;
    return { name: 'status', ok: false, detail: `the license is ${status}${since ? ` (${since})` : ''}` };
  }
}
