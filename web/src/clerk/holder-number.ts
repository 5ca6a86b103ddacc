import { isValidCitizenId, isValidCreditCode, maskHolderNumber, parseCitizenId, parseCreditCode, type HolderNumber } from '../../../src/modules/identity/index.js';
import { IdentityError } from '../../../src/shared/errors.js';
import { HOLDER_NUMBER_MESSAGES } from './clerk-messages.js';

const clock = { now: () => new Date() };
const CITIZEN_SHAPE = /^\s*(\d{17}[\dXx]|\d{15})\s*$/;

/**
 * The number as the vault will read it, or why not, by the vault's own rules:
 * whichever of citizen ID and credit code it is valid as; neither → the error
 * of the kind it looks like (all digits: a citizen ID).
 */
export function checkHolderNumber(input: string): { readonly holder: HolderNumber } | { readonly problem: string } {
  const value = input.trim();
  if (isValidCitizenId(value, clock)) return { holder: { type: 'citizen', value: parseCitizenId(value, clock).value } };
  if (isValidCreditCode(value)) return { holder: { type: 'organization', value: parseCreditCode(value).value } };
  try {
    if (CITIZEN_SHAPE.test(value) || /^\d+$/.test(value)) parseCitizenId(value, clock);
    else parseCreditCode(value);
  } catch (error) {
    if (error instanceof IdentityError) return { problem: HOLDER_NUMBER_MESSAGES[error.code] ?? '证件号码不正确，请核对后重新输入。' };
    throw error;
  }
  return { problem: '证件号码不正确，请核对后重新输入。' };
}

/** What the desk shows of a holder's number: a citizen's masked, even when the clerk typed it. */
export function maskedNumber(holder: { readonly type: HolderNumber['type']; readonly id: string }): string {
  return maskHolderNumber({ type: holder.type, value: holder.id });
}
