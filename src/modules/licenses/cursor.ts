import { StoreError } from '../../shared/errors.js';

/** Position after the last item of a page of licenses in (issuedAt, identifier) descending order. */
export interface LicensePageCursor {
  readonly issuedAt: string;
  readonly identifier: string;
}

/** Encodes a page position as an opaque URL-safe token. */
export function encodeCursor(cursor: LicensePageCursor): string {
  return Buffer.from(JSON.stringify([cursor.issuedAt, cursor.identifier]), 'utf8').toString('base64url');
}

/** Decodes a token made by {@link encodeCursor}; anything else is ERR_STORE_CURSOR_INVALID. */
export function decodeCursor(token: string): LicensePageCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new StoreError('ERR_STORE_CURSOR_INVALID');
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string' || Number.isNaN(Date.parse(parsed[0]))) {
    throw new StoreError('ERR_STORE_CURSOR_INVALID');
  }
  return { issuedAt: parsed[0], identifier: parsed[1] };
}
