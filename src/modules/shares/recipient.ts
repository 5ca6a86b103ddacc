import { maskIdentityNumbersInText } from '../identity/index.js';
import { ShareError } from '../../shared/errors.js';
import { SHARE_RECIPIENT_MAX_LENGTH } from './share.js';

/** As for holder names: controls, invisible formatting, separators, private use, lone surrogates and markup brackets. */
const REFUSED_IN_RECIPIENT = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}<>]/u;

/**
 * Who a share is for (某某银行, an employer), as the shared page and the
 * annotated copy show it: trimmed, NFC, 1..60 printable characters without
 * markup, any ID number in it masked.
 *
 * @throws ShareError ERR_SHARE_RECIPIENT_INVALID
 */
export function recipientOf(raw: string): string {
  const text = raw.trim().normalize('NFC');
  const length = [...text].length;
  if (length < 1 || length > SHARE_RECIPIENT_MAX_LENGTH || REFUSED_IN_RECIPIENT.test(text)) throw new ShareError('ERR_SHARE_RECIPIENT_INVALID');
  return maskIdentityNumbersInText(text);
}
