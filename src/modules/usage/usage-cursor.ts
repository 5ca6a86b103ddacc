import { StoreError } from '../../shared/errors.js';

const PREFIX = 'u1.';

/** A page position in the usage record: the entries before this audit seq. Opaque to callers. */
export function encodeUsageCursor(beforeSeq: number): string {
  return Buffer.from(`${PREFIX}${beforeSeq}`, 'utf8').toString('base64url');
}

/** The seq a cursor made by {@link encodeUsageCursor} stands for; anything else is ERR_STORE_CURSOR_INVALID. */
export function decodeUsageCursor(token: string): number {
  const text = token.length <= 40 ? Buffer.from(token, 'base64url').toString('utf8') : '';
  const seq = text.startsWith(PREFIX) && /^[1-9][0-9]{0,14}$/.test(text.slice(PREFIX.length)) ? Number(text.slice(PREFIX.length)) : Number.NaN;
  if (!Number.isSafeInteger(seq)) throw new StoreError('ERR_STORE_CURSOR_INVALID');
  return seq;
}
