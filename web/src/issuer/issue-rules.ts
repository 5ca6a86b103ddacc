import { parseHolderNumber } from '../../../src/modules/identity/holder-number.js';
import { isAcceptableHolderName } from '../../../src/modules/licenses/holder-name.js';
import { validityFor } from '../../../src/modules/licenses/validity.js';
import { validateFaceFields } from '../../../src/modules/templates/face-fields.js';
import { isVaultError } from '../../../src/shared/errors.js';
import type { paths } from '../api/schema.js';
import type { CatalogueEntry } from './catalogue.js';
import { holderLabels } from './catalogue.js';
import { fieldMessage, HOLDER_NAME_MESSAGE, holderNumberMessage, validityMessage } from './rule-messages.js';

/** The body of POST /api/v1/licenses (and of a preview and of a batch item). */
export type IssueBody = NonNullable<paths['/api/v1/licenses']['post']['requestBody']>['content']['application/json'];

/** What the issuer typed: face fields by key, blanks included. */
export interface IssueInput {
  readonly holderId?: string | undefined;
  readonly holderName?: string | undefined;
  readonly fields: Readonly<Record<string, string | number | null | undefined>>;
  readonly validFrom?: string | undefined;
  readonly validUntil?: string | undefined;
}

/** Where an error is shown: `holder.id`, `holder.name`, `fields.{key}`, `validUntil`. */
export type ErrorPlace = string;

export interface IssueCheck {
  /** The request to send, when every rule passed. */
  readonly body: IssueBody | null;
  /** Plain Chinese per place; empty when the request may be sent. */
  readonly errors: Readonly<Record<ErrorPlace, string>>;
}

const browserClock = { now: () => new Date() };

function blank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Checks an issuance by the vault's own rules (the same functions its use
 * case runs: holder number, holder name, face fields, validity), collecting
 * every problem so the issuer can fix them all at once. The vault checks
 * again; this only saves a round trip and says where the problem is.
 */
export function checkIssue(entry: CatalogueEntry, input: IssueInput): IssueCheck {
  const errors: Record<ErrorPlace, string> = {};
  const labels = holderLabels(entry.holderType);
  const holderId = (input.holderId ?? '').trim();
  const holderName = (input.holderName ?? '').trim().normalize('NFC');
  try {
    parseHolderNumber(entry.holderType, holderId, browserClock);
  } catch (error) {
    if (!isVaultError(error)) throw error;
    errors['holder.id'] = holderId === '' ? `请填写${labels.number}。` : holderNumberMessage(error.code, labels.number);
  }
  if (!isAcceptableHolderName(holderName)) errors['holder.name'] = holderName === '' ? `请填写${labels.name}。` : HOLDER_NAME_MESSAGE;

  const fields: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(input.fields)) if (!blank(value)) fields[key] = typeof value === 'string' ? value.trim() : (value as number);
  try {
    validateFaceFields({ catalogue: { name: entry.name }, fields: entry.fields }, fields);
  } catch (error) {
    if (!isVaultError(error)) throw error;
    const problems = (error.details?.problems as readonly { field: string; code: string }[] | undefined) ?? [
      { field: typeof error.details?.field === 'string' ? error.details.field : '', code: error.code },
    ];
    for (const problem of problems) {
      errors[`fields.${problem.field}`] ??= fieldMessage(
        problem.code,
        entry.fields.find((field) => field.key === problem.field),
        entry.example.fields[problem.field],
      );
    }
  }

  const validity = { ...(blank(input.validFrom) ? {} : { validFrom: input.validFrom }), ...(blank(input.validUntil) ? {} : { validUntil: input.validUntil }) };
  try {
    validityFor(entry.validity, validity, new Date());
  } catch (error) {
    if (!isVaultError(error)) throw error;
    errors['validUntil'] = validityMessage(entry.validity);
  }

  if (Object.keys(errors).length > 0) return { body: null, errors };
  return { body: { licenseType: entry.code, holder: { type: entry.holderType, id: holderId, name: holderName }, fields, ...validity }, errors };
}
