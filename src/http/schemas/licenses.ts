import { z } from 'zod';

/** A plain string of bounded length: operators (`{"$ne": null}`), arrays and numbers are refused. */
const text = (max: number) => z.string().max(max);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD');
const fieldValue = z.union([z.string().max(2000), z.number().finite()]);

export const FaceFieldsInput = z.record(z.string().max(40), fieldValue).describe("Face fields (扩展业务信息) keyed as in the license type's field schema");

export const IssueLicenseRequest = z
  .object({
    licenseType: text(40).describe('License type code (defining authority credit code + 3 digits)'),
    holder: z
      .object({
        type: z.enum(['citizen', 'organization']),
        id: text(40).describe('Citizen ID number (GB 11643) or unified social credit code (GB 32100)'),
        name: text(200),
      })
      .strict(),
    fields: FaceFieldsInput,
    validFrom: isoDate.optional(),
    validUntil: isoDate.optional(),
  })
  .strict();
export type IssueLicenseRequest = z.infer<typeof IssueLicenseRequest>;

export const BatchIssueRequest = z.object({ items: z.array(z.unknown()).min(1).max(500) }).strict();

export const ReasonRequest = z.object({ reason: text(400) }).strict();
export const OptionalReasonRequest = z.object({ reason: text(400).optional() }).strict();

export const ReissueRequest = z
  .object({
    fields: FaceFieldsInput.optional(),
    holderName: text(200).optional(),
    validFrom: isoDate.optional(),
    validUntil: isoDate.optional(),
  })
  .strict();

export const HolderLookupQuery = z
  .object({
    purpose: text(400).describe('Purpose of use (用证事由), 1–200 characters, recorded in the audit log'),
    holderType: z.enum(['citizen', 'organization']).optional(),
    type: text(40).optional(),
    status: z.enum(['active', 'suspended', 'revoked', 'superseded', 'expired']).optional(),
    cursor: text(400).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();

export const PurposeQuery = z.object({ purpose: text(400).optional() }).strict();
