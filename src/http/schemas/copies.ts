import { z } from 'zod';
import { COPY_ID_PATTERN, COPY_MAX_DAYS } from '../../modules/copies/index.js';
import { EFFECTIVE_STATUSES, PURPOSE_MAX_LENGTH, SERVICE_ITEM_MAX_LENGTH } from '../../modules/licenses/index.js';
import { boundedText, isoDate, isoInstant, named } from './common.js';

/** `POST /api/v1/licenses/{identifier}/copies`: what the copy is for and how long it serves. */
export const CopyRequest = named(
  'CopyRequest',
  z.strictObject({
    serviceItem: boundedText(SERVICE_ITEM_MAX_LENGTH).describe('Service item (办理事项) printed on the copy, e.g. 新生入学登记'),
    purpose: boundedText(PURPOSE_MAX_LENGTH).describe('Purpose of use (用证事由), e.g. 办理入学登记; audited and printed on the copy'),
    validDays: z.int().min(1).max(COPY_MAX_DAYS).optional().describe('Days the copy serves from today (China time); default 30'),
    validUntil: isoDate.optional().describe('Or: the last day the copy serves (China date); not with validDays'),
  }),
);
export type CopyRequest = z.infer<typeof CopyRequest>;

/** What anyone verifying an annotated copy sees of it: who took it, for what, until when, and its original's status now (null offline). */
export const CopySummary = named(
  'CopySummary',
  z.strictObject({
    copyId: z.string().regex(COPY_ID_PATTERN),
    office: z.strictObject({ name: z.string(), creditCode: z.string().nullable() }).describe('The office the holder provided the copy to'),
    serviceItem: z.string(),
    purpose: z.string(),
    madeAt: isoInstant,
    validUntil: isoDate.describe('Last day of validity, China date'),
    expired: z.boolean(),
    original: z.strictObject({ identifier: z.string(), status: z.enum(EFFECTIVE_STATUSES).nullable(), inForce: z.boolean().nullable() }),
  }),
);

export const CopyQrParams = z.strictObject({ copyId: z.string().max(40).describe('The annotated copy’s id (JZ…)') });
