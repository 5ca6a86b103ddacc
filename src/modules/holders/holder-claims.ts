import type { Clock } from '../../shared/clock.js';
import { HolderSignInError, isVaultError } from '../../shared/errors.js';
import { parseHolderNumber, type HolderNumber, type HolderType } from '../identity/index.js';
import { isAcceptableHolderName } from '../licenses/index.js';

/** Which claims of the identity platform's token carry the holder's number and name (VAULT_HOLDER_OIDC_*_CLAIM). */
export interface HolderClaimNames {
  /** The citizen ID number (公民身份号码) of a person who signs in for themselves. */
  readonly citizen: string;
  /** The unified social credit code (统一社会信用代码) a legal representative or agent signs in with for a company. */
  readonly organization: string;
  /** The display name: the person's, or the company's on a company sign-in. */
  readonly name: string;
}

/** Who signed in, as the vault knows holders. */
export interface SignedInHolder {
  readonly holder: HolderNumber;
  /** The name claim when it is printable text of 1 to 100 characters, else null (a name is never a reason to refuse). */
  readonly name: string | null;
}

/**
 * What may be logged of a claim value that is not a valid number: its type and
 * length, and which character classes it has, never the value.
 */
export function claimShape(value: unknown): { readonly type: string; readonly length?: number; readonly characters?: string } {
  if (typeof value !== 'string') return { type: value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value };
  const classes = [/[0-9]/.test(value) ? 'digits' : '', /[A-Za-z]/.test(value) ? 'letters' : '', /[^0-9A-Za-z]/.test(value) ? 'other' : ''].filter(Boolean);
  return { type: 'string', length: [...value].length, characters: classes.join('+') || 'none' };
}

/**
 * The holder a token names. A company's credit code wins over a citizen ID
 * number when the token carries both: that is how platforms describe a legal
 * representative or agent acting for the company (法人登录), and the person's
 * own number is then not kept. The number goes through the identity module:
 * a token with neither claim is refused with ERR_HOLDER_CLAIM_MISSING, one
 * whose number is not valid with ERR_HOLDER_CLAIM_INVALID; the error's
 * details name the claim, the identity rule broken and the value's shape
 * ({@link claimShape}), never the value.
 */
export function holderFromClaims(claims: Readonly<Record<string, unknown>>, names: HolderClaimNames, clock: Clock): SignedInHolder {
  const present = (claim: string) => claims[claim] !== undefined && claims[claim] !== null && claims[claim] !== '';
  const type: HolderType | null = present(names.organization) ? 'organization' : present(names.citizen) ? 'citizen' : null;
  if (type === null) throw new HolderSignInError('ERR_HOLDER_CLAIM_MISSING', undefined, { claims: [names.citizen, names.organization] });
  const claim = type === 'organization' ? names.organization : names.citizen;
  const value = claims[claim];
  let holder: HolderNumber;
  try {
    holder = parseHolderNumber(type, value, clock);
  } catch (error) {
    if (!isVaultError(error)) throw error;
    throw new HolderSignInError('ERR_HOLDER_CLAIM_INVALID', undefined, { claim, holderType: type, rule: error.code, shape: claimShape(value) });
  }
  const rawName = claims[names.name];
  const name = typeof rawName === 'string' ? rawName.trim().normalize('NFC') : '';
  return { holder, name: isAcceptableHolderName(name) ? name : null };
}
