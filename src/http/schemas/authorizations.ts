import { z } from 'zod';
import { CODE_LENGTH, MAX_COVERED, MAX_LIFETIME_MINUTES, MAX_USES, MIN_LIFETIME_MINUTES, DEFAULT_LIFETIME_MINUTES } from '../../modules/authorizations/index.js';
import { LICENSE_IDENTIFIER_MAX_LENGTH } from '../../modules/identity/index.js';
import { PURPOSE_MAX_LENGTH, SERVICE_ITEM_MAX_LENGTH } from '../../modules/licenses/index.js';
import { boundedText, isoInstant, named, shortString } from './common.js';
import { License } from './licenses.js';

const CREDIT_CODE = shortString(40);

export const RedeemRequest = z.strictObject({
  code: shortString(32).describe(`The holder's 用证码, typed or scanned: ${CODE_LENGTH} symbols; case, spaces and dashes do not matter`),
});
export type RedeemRequest = z.infer<typeof RedeemRequest>;

export const Redemption = named(
  'Redemption',
  z.strictObject({
    authorization: z.strictObject({
      id: z.string(),
      serviceItem: z.string().describe('办理事项, as the holder gave it'),
      purpose: z.string().describe('用证事由, as the holder gave it'),
      office: z.string().nullable().describe('Credit code of the office it was given to; null: any office'),
      expiresAt: isoInstant,
      usesLeft: z.number().int(),
    }),
    licenses: z.array(License).describe('Exactly the licenses the authorization covers'),
  }),
);
export type Redemption = z.infer<typeof Redemption>;

export const NewAuthorizationBody = z.strictObject({
  licenses: z.array(shortString(LICENSE_IDENTIFIER_MAX_LENGTH)).max(MAX_COVERED).optional().describe('Identifiers of licenses of yours'),
  licenseTypes: z.array(shortString(40)).max(MAX_COVERED).optional().describe('License type codes: all your licenses of these types in force when the code is redeemed'),
  office: CREDIT_CODE.nullable().describe('Credit code of the office (GET /api/v1/me/offices); null: any office'),
  serviceItem: boundedText(SERVICE_ITEM_MAX_LENGTH).describe('办理事项'),
  purpose: boundedText(PURPOSE_MAX_LENGTH).describe('用证事由'),
  lifetimeMinutes: z.number().optional().describe(`Whole minutes, ${MIN_LIFETIME_MINUTES} to ${MAX_LIFETIME_MINUTES} (7 days); ${DEFAULT_LIFETIME_MINUTES} when absent`),
  uses: z.number().optional().describe(`How many times it may be redeemed, 1 to ${MAX_USES}; 1 when absent`),
});
export type NewAuthorizationBody = z.infer<typeof NewAuthorizationBody>;

export const Authorization = named(
  'Authorization',
  z.strictObject({
    id: z.string(),
    codeHint: z.string().describe('The last two symbols of its 用证码 (the code itself is shown once, at creation)'),
    state: z.enum(['live', 'expired', 'withdrawn', 'used-up']),
    licenses: z.array(z.string()),
    licenseTypes: z.array(z.string()),
    office: z.strictObject({ creditCode: z.string(), name: z.string().nullable() }).nullable(),
    serviceItem: z.string(),
    purpose: z.string(),
    createdAt: isoInstant,
    expiresAt: isoInstant,
    usesAllowed: z.number().int(),
    usesMade: z.number().int(),
    usesLeft: z.number().int(),
    withdrawnAt: isoInstant.nullable(),
  }),
);

export const CreatedAuthorization = named(
  'CreatedAuthorization',
  z.strictObject({
    authorization: Authorization,
    code: z.string().describe('The 用证码, `ABCD-EF23`: shown this once, never again'),
    expiresAt: isoInstant,
    qrSvg: z.string().describe('The code as a QR code (its content: the 8 symbols, nothing else), an SVG image of at least 288 px'),
  }),
);

export const AuthorizationList = named('AuthorizationList', z.strictObject({ items: z.array(Authorization) }));

export const AuthorizationParams = z.strictObject({ id: shortString(64).describe('The authorization’s id') });

export const OfficeList = named('OfficeList', z.strictObject({ offices: z.array(z.strictObject({ creditCode: z.string(), name: z.string() })) }));
