import { z } from 'zod';
import { HOLDER_TYPES } from '../../modules/identity/index.js';
import { EFFECTIVE_STATUSES, LICENSE_STATUSES } from '../../modules/licenses/index.js';
import { HELD_LICENSES_PAGE_MAX, USAGE_KINDS } from '../../modules/usage/index.js';
import { isoDate, isoInstant, named, shortString } from './common.js';

export const HeldLicensesQuery = z.strictObject({
  cursor: shortString(400).optional().describe('nextCursor of the page before'),
  limit: z.coerce.number().int().min(1).max(HELD_LICENSES_PAGE_MAX).default(HELD_LICENSES_PAGE_MAX),
});
export type HeldLicensesQuery = z.infer<typeof HeldLicensesQuery>;

export const UsageQuery = z.strictObject({
  cursor: shortString(40).optional().describe('nextCursor of the page before: older entries'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type UsageQuery = z.infer<typeof UsageQuery>;

/** One of the holder's licenses as the holder's pages show it. The number is masked here as everywhere a screen may be seen by others; the face and the PDF carry it whole. */
export const HeldLicense = named(
  'HeldLicense',
  z.strictObject({
    identifier: z.string().describe('电子证照标识 (GB/T 36904)'),
    licenseNumber: z.string().describe('证照编号 printed on the face'),
    licenseType: z.strictObject({ code: z.string(), name: z.string().nullable() }),
    status: z.enum(EFFECTIVE_STATUSES).describe('The status now: expired is derived from validity and the clock'),
    storedStatus: z.enum(LICENSE_STATUSES),
    statusChangedAt: isoInstant.nullable(),
    holder: z.strictObject({ type: z.enum(HOLDER_TYPES), id: z.string().describe('Masked (110105********002X)'), name: z.string() }),
    issuer: z.strictObject({ creditCode: z.string(), name: z.string() }),
    issuedAt: isoInstant,
    validFrom: isoDate,
    validUntil: isoDate.nullable().describe('null: valid without end (长期)'),
    version: z.int().min(1),
    links: z.strictObject({ self: z.url(), face: z.url(), pdf: z.url() }),
  }),
);
export type HeldLicense = z.infer<typeof HeldLicense>;

export const HeldLicensePage = named(
  'HeldLicensePage',
  z.strictObject({ items: z.array(HeldLicense), nextCursor: z.string().nullable().describe('Give as cursor for the next page; null on the last') }),
);

const UsageLicense = z.strictObject({ identifier: z.string(), typeName: z.string().nullable() });

export const UsageEntry = named(
  'UsageEntry',
  z.strictObject({
    at: isoInstant,
    kind: z.enum(USAGE_KINDS),
    action: z.string().describe('The audit action: holder.query, authorization.redeem, license.read…'),
    department: z.strictObject({ creditCode: z.string(), name: z.string().nullable() }).nullable().describe('The office that acted'),
    clerk: z.string().nullable().describe('The staff account that acted, masked (dem***rk); null when none did'),
    actorRole: z.string(),
    serviceItem: z.string().nullable().describe('办理事项'),
    purpose: z.string().nullable().describe('用证事由'),
    recipient: z.string().nullable().describe('For share links: whom the holder shared with, as they named them'),
    licenses: z.array(UsageLicense),
    repeated: z.int().min(1).describe('Times the same attempt was made within a minute (refusals are summarised)'),
  }),
);

export const UsageRecordPage = named(
  'UsageRecordPage',
  z.strictObject({
    items: z.array(UsageEntry).describe('Newest first'),
    nextCursor: z.string().nullable().describe('Give as cursor for older entries; null when there are none. A page may be short and still have one.'),
    verifications: z
      .array(UsageLicense.extend({ licenseNumber: z.string(), count: z.int().min(0) }))
      .nullable()
      .describe('First page only: anonymous verifications of each license (QR, upload, field check), counted, never identified; written every few seconds'),
  }),
);
