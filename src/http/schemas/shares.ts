import { z } from 'zod';
import { LICENSE_IDENTIFIER_MAX_LENGTH } from '../../modules/identity/index.js';
import { PURPOSE_MAX_LENGTH } from '../../modules/licenses/index.js';
import { SHARE_LIFETIME_MAX_MINUTES, SHARE_LIFETIME_MIN_MINUTES, SHARE_MAX_LICENSES, SHARE_RECIPIENT_MAX_LENGTH, SHARE_STATES } from '../../modules/shares/index.js';
import { boundedText, isoInstant, named } from './common.js';
import { LicenseSummary } from './verification.js';
import { VERIFICATION_RESULTS } from '../../modules/verification/index.js';

/** A new share link: which of the holder's licenses, for whom, why, for how long, once or not. */
export const ShareRequest = z.strictObject({
  licenses: z.array(z.string().min(1).max(LICENSE_IDENTIFIER_MAX_LENGTH)).min(1).max(SHARE_MAX_LICENSES).describe("Identifiers of the licenses to share, each the holder's own"),
  recipient: boundedText(SHARE_RECIPIENT_MAX_LENGTH).min(1).describe('Who the link is for (某某银行); shown on the page and on annotated copies'),
  purpose: boundedText(PURPOSE_MAX_LENGTH).describe('用证事由: at least 4 characters, 2 of them letters'),
  lifetimeMinutes: z
    .number()
    .int()
    .min(SHARE_LIFETIME_MIN_MINUTES)
    .max(SHARE_LIFETIME_MAX_MINUTES)
    .optional()
    .describe('How long the link opens, in minutes: 10 minutes to 30 days; 7 days when absent'),
  oneTime: z.boolean().optional().describe('The link opens once only'),
});
export type ShareRequest = z.infer<typeof ShareRequest>;

export const ShareIdParams = z.strictObject({ id: z.string().max(64).describe("The share's id, from the holder's list") });
export const ShareTokenParams = z.strictObject({ token: z.string().describe('The secret of the link') });
export const ShareCopyParams = z.strictObject({ token: z.string().describe('The secret of the link'), identifier: z.string().describe('A license the share covers') });

/** A share as its holder's list shows it: never the link, which only the holder was given, once. */
export const Share = named(
  'Share',
  z.strictObject({
    id: z.string(),
    licenses: z.array(z.string()),
    recipient: z.string(),
    purpose: z.string(),
    createdAt: isoInstant,
    expiresAt: isoInstant,
    oneTime: z.boolean(),
    openCount: z.number().int().describe('How many times the link was opened'),
    firstOpenedAt: isoInstant.nullable(),
    revokedAt: isoInstant.nullable(),
    state: z.enum(SHARE_STATES).describe('live; or why it no longer opens'),
  }),
);

export const ShareList = named('ShareList', z.strictObject({ items: z.array(Share).describe('Newest first: live shares, and those that ended in the last 7 days') }));

export const CreatedShare = named(
  'CreatedShare',
  z.strictObject({
    link: z.string().describe('The link to give the recipient; shown this once, the vault keeps only its hash'),
    expiresAt: isoInstant,
    share: Share,
  }),
);

/** What the recipient of a link sees: each license's verdict as any verifier would, the purpose and recipient, and when the link ends. */
export const SharedLicenses = named(
  'SharedLicenses',
  z.strictObject({
    recipient: z.string(),
    purpose: z.string(),
    expiresAt: isoInstant,
    oneTime: z.boolean(),
    licenses: z.array(z.strictObject({ result: z.enum(VERIFICATION_RESULTS), valid: z.boolean(), license: LicenseSummary })),
  }),
);
