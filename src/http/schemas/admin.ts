import { z } from 'zod';
import { ACCOUNT_KINDS, MAX_DISPLAY_NAME_LENGTH, ROLES } from '../../modules/auth/index.js';
import { MAX_DEPARTMENT_NAME_LENGTH, MAX_LICENSE_TYPES } from '../../modules/departments/index.js';
import { boundedText, isoInstant, named, shortString } from './common.js';

const nullableText = (max: number) => z.string().max(max).nullable();
const anyChange = (body: object) => Object.keys(body).length > 0;
const LICENSE_TYPE_CODE = shortString(40);
const CREDIT_CODE = shortString(40);

export const NewDepartmentBody = z.strictObject({
  creditCode: CREDIT_CODE,
  name: boundedText(MAX_DEPARTMENT_NAME_LENGTH),
  divisionCode: shortString(20),
  licenseTypes: z.array(LICENSE_TYPE_CODE).max(MAX_LICENSE_TYPES),
  signingKey: nullableText(200).optional(),
  sealImage: nullableText(500).optional(),
});
export type NewDepartmentBody = z.infer<typeof NewDepartmentBody>;

export const DepartmentChangesBody = z
  .strictObject({
    name: boundedText(MAX_DEPARTMENT_NAME_LENGTH).optional(),
    divisionCode: shortString(20).optional(),
    licenseTypes: z.array(LICENSE_TYPE_CODE).max(MAX_LICENSE_TYPES).optional(),
    signingKey: nullableText(200).optional(),
    sealImage: nullableText(500).optional(),
  })
  .refine(anyChange, 'give at least one field to change');
export type DepartmentChangesBody = z.infer<typeof DepartmentChangesBody>;

export const NewAccountBody = z.strictObject({
  clientId: shortString(64).optional(),
  kind: z
    .enum(ACCOUNT_KINDS)
    .optional()
    .describe(
      '`service` (the default): a program, which gets bearer tokens at /api/v1/auth/token; `person`: a member of staff, who signs in to the console with the client id as user name, the secret as password and a one-time password',
    ),
  role: z.enum(ROLES),
  department: nullableText(40).optional().describe("Credit code of an existing department: an issuer's (required), or the one a clerk serves at (optional); none for other roles"),
  displayName: boundedText(MAX_DISPLAY_NAME_LENGTH).optional(),
});
export type NewAccountBody = z.infer<typeof NewAccountBody>;

export const AccountChangesBody = z
  .strictObject({
    role: z.enum(ROLES).optional(),
    department: nullableText(40).optional(),
    displayName: boundedText(MAX_DISPLAY_NAME_LENGTH).optional(),
  })
  .refine(anyChange, 'give at least one field to change');
export type AccountChangesBody = z.infer<typeof AccountChangesBody>;

export const CreditCodeParams = z.strictObject({ creditCode: CREDIT_CODE.describe("The department's unified social credit code") });
export const ClientIdParams = z.strictObject({ clientId: shortString(64).describe("The account's client id") });

export const Department = named(
  'Department',
  z.strictObject({
    creditCode: z.string(),
    name: z.string(),
    divisionCode: z.string(),
    licenseTypes: z.array(z.string()),
    signingKey: z.string().nullable(),
    sealImage: z.string().nullable(),
    createdAt: isoInstant,
    updatedAt: isoInstant,
  }),
);
export const DepartmentList = named('DepartmentList', z.strictObject({ departments: z.array(Department) }));

export const Account = named(
  'Account',
  z.strictObject({
    clientId: z.string(),
    kind: z.enum(ACCOUNT_KINDS).describe('`person`: signs in to the console; `service`: a program with bearer tokens'),
    role: z.enum(ROLES),
    department: z.string().nullable(),
    displayName: z.string(),
    disabled: z.boolean(),
    pending: z.boolean().describe('Its secret waits for approval by the other managing administrator: no token until then'),
    secretSetBy: z.strictObject({ clientId: z.string(), role: z.string() }).nullable().describe('Who set the current secret (role `system`: the host, through the command line)'),
    totpEnrolled: z.boolean().describe('A person has enrolled an authenticator app; a secret reset clears it, and they enrol again at their next sign-in'),
    createdAt: isoInstant,
    updatedAt: isoInstant,
  }),
);
export const AccountList = named('AccountList', z.strictObject({ accounts: z.array(Account) }));
export const AccountWithSecret = named(
  'AccountWithSecret',
  z.strictObject({ account: Account, clientSecret: z.string().describe('Shown this once: the vault keeps only its hash') }),
);
