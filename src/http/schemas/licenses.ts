import { z } from 'zod';
import { HOLDER_NUMBER_MAX_LENGTH, HOLDER_TYPE_CODES, HOLDER_TYPES, LICENSE_IDENTIFIER_MAX_LENGTH } from '../../modules/identity/index.js';
import {
  BATCH_MAX_ITEMS,
  EFFECTIVE_STATUSES,
  HOLDER_NAME_MAX_LENGTH,
  IDEMPOTENCY_KEY_PATTERN,
  isAcceptableHolderName,
  LICENSE_STATUSES,
  PAGE_MAX_LIMIT,
  PURPOSE_MAX_LENGTH,
  PURPOSE_MIN_LENGTH,
  SERVICE_ITEM_MAX_LENGTH,
  REASON_MAX_LENGTH,
  type IssueCommand,
  type ReissueCommand,
} from '../../modules/licenses/index.js';
import { boundedText, isoDate, isoInstant, named, parsedLater, shortString } from './common.js';
import { Problem } from './problem.js';

const LICENSE_TYPE_CODE_MAX_LENGTH = 40;
const fieldValue = z.union([z.string().max(2000), z.number().finite()]);

export const FaceFieldsInput = z.record(z.string().max(40), fieldValue).describe("Face fields (扩展业务信息) keyed as in the license type's field schema");
export const HolderType = z
  .enum(HOLDER_TYPES)
  .describe(
    `citizen: citizen ID number (GB 11643, holder type code ${HOLDER_TYPE_CODES.citizen}); organization: unified social credit code (GB 32100, holder type code ${HOLDER_TYPE_CODES.organization})`,
  );

/** A holder name as the issuance use case accepts it; anything else is refused at the edge with the use case's code. */
const HolderName = boundedText(HOLDER_NAME_MAX_LENGTH)
  .refine((name) => isAcceptableHolderName(name.normalize('NFC')), {
    message: 'must be 1 to 100 characters, without control or invisible formatting characters or < >',
    params: { code: 'ERR_HOLDER_NAME_INVALID' },
  })
  .describe('Holder name (持证主体名称): printable text, no control or invisible formatting characters, no < or >');

export const IssueLicenseRequest = z.strictObject({
  licenseType: shortString(LICENSE_TYPE_CODE_MAX_LENGTH).describe('License type code (defining authority credit code + 3 digits)'),
  holder: z.strictObject({
    type: HolderType,
    id: shortString(HOLDER_NUMBER_MAX_LENGTH).describe('Citizen ID number (GB 11643) or unified social credit code (GB 32100)'),
    name: HolderName,
  }),
  fields: FaceFieldsInput,
  validFrom: isoDate.optional(),
  validUntil: isoDate.optional(),
}) satisfies z.ZodType<IssueCommand>;
export type IssueLicenseRequest = z.infer<typeof IssueLicenseRequest>;

/** Items are checked one by one, so that one bad item fails alone. */
export const BatchIssueRequest = z.strictObject({ items: z.array(parsedLater(IssueLicenseRequest)).min(1).max(BATCH_MAX_ITEMS) });
export type BatchIssueRequest = z.infer<typeof BatchIssueRequest>;

export const ReasonRequest = z.strictObject({ reason: boundedText(REASON_MAX_LENGTH) });
export type ReasonRequest = z.infer<typeof ReasonRequest>;
export const OptionalReasonRequest = z.strictObject({ reason: boundedText(REASON_MAX_LENGTH).optional() });
export type OptionalReasonRequest = z.infer<typeof OptionalReasonRequest>;

export const ReissueRequest = z.strictObject({
  fields: FaceFieldsInput.optional(),
  holderName: HolderName.optional(),
  validFrom: isoDate.optional(),
  validUntil: isoDate.optional(),
  reason: boundedText(REASON_MAX_LENGTH).optional().describe('Why it is reissued (换发原因): recorded with the old version and in the audit log'),
}) satisfies z.ZodType<ReissueCommand>;
export type ReissueRequest = z.infer<typeof ReissueRequest>;

export const HolderParams = z.strictObject({ holderId: shortString(HOLDER_NUMBER_MAX_LENGTH).describe('Citizen ID number or unified social credit code') });
export const IdentifierParams = z.strictObject({ identifier: shortString(LICENSE_IDENTIFIER_MAX_LENGTH).describe('GB/T 36904 license identifier') });

const purposeOfUse = boundedText(PURPOSE_MAX_LENGTH).describe(
  `Purpose of use (用证事由), ${PURPOSE_MIN_LENGTH}–${PURPOSE_MAX_LENGTH} characters of which at least 2 letters (e.g. 办理入学登记), recorded in the audit log`,
);

/** 办理事项: optional on look-ups, reads and downloads (recorded when given, so the holder's usage record names it). */
export const serviceItemOfUse = boundedText(SERVICE_ITEM_MAX_LENGTH).describe(
  `Service item (办理事项), 2–${SERVICE_ITEM_MAX_LENGTH} characters of which at least 2 letters (e.g. 义务教育入学登记), recorded in the audit log and shown in the holder's usage record`,
);

export const HolderLookupQuery = z.strictObject({
  purpose: purposeOfUse,
  serviceItem: serviceItemOfUse.optional(),
  holderType: HolderType.optional(),
  type: shortString(LICENSE_TYPE_CODE_MAX_LENGTH).optional().describe('Only licenses of this type'),
  status: z.enum(EFFECTIVE_STATUSES).optional(),
  cursor: shortString(400).optional().describe('nextCursor of the page before'),
  limit: z.coerce.number().int().min(1).max(PAGE_MAX_LIMIT).default(50),
});
export type HolderLookupQuery = z.infer<typeof HolderLookupQuery>;

export const PurposeQuery = z.strictObject({ purpose: purposeOfUse, serviceItem: serviceItemOfUse.optional() });
export type PurposeQuery = z.infer<typeof PurposeQuery>;

export const IdempotencyKeyHeader = z.string().regex(IDEMPOTENCY_KEY_PATTERN).describe('Makes retries safe: the same key and body give the same license');

/** A license as its issuing department or a clerk sees it: every field, links, the status now. */
export const License = named(
  'License',
  z.strictObject({
    identifier: z.string().describe('电子证照标识 (GB/T 36904)'),
    licenseNumber: z.string().describe('证照编号 printed on the face'),
    licenseType: z.strictObject({ code: z.string(), name: z.string().nullable() }),
    status: z.enum(EFFECTIVE_STATUSES).describe('The status now: expired is derived from validity and the clock'),
    storedStatus: z.enum(LICENSE_STATUSES),
    statusReason: z.string().nullable(),
    statusChangedAt: isoInstant.nullable(),
    holder: z.strictObject({ type: z.enum(HOLDER_TYPES), id: z.string(), name: z.string() }),
    issuer: z.strictObject({ creditCode: z.string(), name: z.string() }),
    issuedAt: isoInstant,
    validFrom: isoDate,
    validUntil: isoDate.nullable().describe('null: valid without end (长期)'),
    fields: z.record(z.string(), z.union([z.string(), z.number()])),
    version: z.int().min(1),
    supersedes: z.string().nullable(),
    supersededBy: z.string().nullable(),
    templateVersion: z.string(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    links: z.strictObject({ self: z.url(), pdf: z.url(), verify: z.url() }),
  }),
);
export type License = z.infer<typeof License>;

export const LicensePage = named(
  'LicensePage',
  z.strictObject({ items: z.array(License), nextCursor: z.string().nullable().describe('Give as cursor for the next page; null on the last') }),
);
export type LicensePage = z.infer<typeof LicensePage>;

export const BatchIssueResult = named(
  'BatchIssueResult',
  z.strictObject({
    issued: z.int().min(0),
    failed: z.int().min(0),
    results: z.array(
      z.discriminatedUnion('ok', [
        z.strictObject({ index: z.int().min(0), ok: z.literal(true), license: License }),
        z.strictObject({ index: z.int().min(0), ok: z.literal(false), error: Problem }),
      ]),
    ),
  }),
);
export type BatchIssueResult = z.infer<typeof BatchIssueResult>;
