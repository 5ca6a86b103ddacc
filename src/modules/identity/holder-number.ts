import type { Clock } from '../../shared/clock.js';
import { IdentityError } from '../../shared/errors.js';
import { parseCitizenId } from './citizen-id.js';
import { parseCreditCode } from './credit-code.js';

/** Who a license is issued to: a citizen (ID number) or an organisation (credit code). */
export const HOLDER_TYPES = ['citizen', 'organization'] as const;
export type HolderType = (typeof HOLDER_TYPES)[number];

/** Longest holder number input accepted, surrounding whitespace included (the numbers themselves have 15 or 18 characters). */
export const HOLDER_NUMBER_MAX_LENGTH = 40;

/** Certificate type codes of the holder number kinds (111 居民身份证, 001 统一社会信用代码). */
export const HOLDER_TYPE_CODES = Object.freeze({
  citizen: '111',
  organization: '001',
} as const satisfies Record<HolderType, string>);

/** A validated, normalised holder number. */
export interface HolderNumber {
  readonly type: HolderType;
  readonly value: string;
}

/** Whether `value` is one of the {@link HolderType} names. */
export function isHolderType(value: unknown): value is HolderType {
  return (HOLDER_TYPES as readonly unknown[]).includes(value);
}

/**
 * Validates `value` as the holder number of `type`: a citizen ID number or a
 * unified social credit code (strict), returning its normalised form.
 * @throws IdentityError ERR_HOLDER_TYPE for an unknown type, else the code of
 *   the citizen ID or credit code rule broken.
 */
export function parseHolderNumber(type: unknown, value: unknown, clock: Clock): HolderNumber {
  if (!isHolderType(type)) throw new IdentityError('ERR_HOLDER_TYPE');
  switch (type) {
    case 'citizen':
      return { type, value: parseCitizenId(value, clock).value };
    case 'organization':
      return { type, value: parseCreditCode(value).value };
  }
}
