import { z } from 'zod';
import { HOLDER_NUMBER_MAX_LENGTH, LICENSE_IDENTIFIER_MAX_LENGTH } from '../../modules/identity/index.js';
import { EFFECTIVE_STATUSES, HOLDER_NAME_MAX_LENGTH } from '../../modules/licenses/index.js';
import { VERIFICATION_RESULTS } from '../../modules/verification/index.js';
import { boundedText, isoDate, isoInstant, named } from './common.js';
import { CopySummary } from './copies.js';

export const FieldCheckRequest = z
  .strictObject({
    identifier: z.string().min(1).max(LICENSE_IDENTIFIER_MAX_LENGTH).optional(),
    licenseNumber: z.string().min(1).max(60).optional(),
    holderName: boundedText(HOLDER_NAME_MAX_LENGTH).min(1),
    holderId: z.string().min(1).max(HOLDER_NUMBER_MAX_LENGTH),
  })
  .refine((body) => (body.identifier === undefined) !== (body.licenseNumber === undefined), 'give identifier or licenseNumber, one of them');
export type FieldCheckRequest = z.infer<typeof FieldCheckRequest>;

/** `/v/{identifier}?c={code}`: the code from the QR link. Other query members (added by scanners) are ignored. */
export const QrQuery = z.object({ c: z.string().max(200).optional().describe('Verification code from the QR link') });
export const QrParams = z.strictObject({ identifier: z.string().describe('GB/T 36904 license identifier') });

/** What anyone verifying may see of a license: no face fields, the holder number masked. */
export const LicenseSummary = named(
  'LicenseSummary',
  z.strictObject({
    licenseType: z.strictObject({ code: z.string(), name: z.string().nullable() }),
    identifier: z.string(),
    licenseNumber: z.string(),
    issuer: z.strictObject({ name: z.string(), creditCode: z.string() }),
    holderName: z.string(),
    holderId: z.string().describe('Masked: 110105********002X'),
    issuedAt: isoInstant,
    validFrom: isoDate,
    validUntil: isoDate.nullable(),
    status: z.enum(EFFECTIVE_STATUSES),
  }),
);

const VerificationResult = z.enum(VERIFICATION_RESULTS);
const Check = z.strictObject({ name: z.string(), ok: z.boolean(), detail: z.string().describe('Why it passed or failed') });

const validity = z.boolean().describe('true only for an authentic license in force, or an authentic annotated copy (加注件) within its validity whose original is in force');

/** The verdict on an uploaded PDF: every check made, in order, and the license when the vault knows it (for an annotated copy, its original, and the copy). */
export const FileVerdict = named(
  'FileVerdict',
  z.strictObject({
    result: VerificationResult,
    valid: validity,
    license: LicenseSummary.optional().describe('The license, or the original of an annotated copy'),
    copy: CopySummary.optional().describe('Present when the file is an annotated copy this vault made'),
    checks: z.array(Check),
  }),
);
export type FileVerdict = z.infer<typeof FileVerdict>;

/** The verdict on a QR link (a license's, or an annotated copy's with its original): the status now, or not-found for an unknown identifier or a wrong code alike. */
export const QrVerdict = named(
  'QrVerdict',
  z.union([
    z.strictObject({ result: VerificationResult, valid: validity, license: LicenseSummary, copy: CopySummary.optional() }),
    z.strictObject({ result: z.literal('not-found'), valid: z.literal(false) }),
  ]),
);
export type QrVerdict = z.infer<typeof QrVerdict>;

/**
 * Whether a license with this identifier (or number) belongs to this holder:
 * `consistent` with the summary on a full match; otherwise `inconsistent`
 * alone, the same for a wrong name, a wrong number or no such license.
 */
export const FieldCheckResult = named(
  'FieldCheckResult',
  z.discriminatedUnion('result', [
    z.strictObject({ result: z.literal('consistent'), license: LicenseSummary }),
    z.strictObject({ result: z.literal('inconsistent') }).describe('The details do not match a license of this vault: which detail, or whether the license exists, is not said'),
  ]),
);
export type FieldCheckResult = z.infer<typeof FieldCheckResult>;
