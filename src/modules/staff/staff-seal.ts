import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const STAFF_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEALED_SHAPE = /^[A-Za-z0-9_-]{40,2048}$/;

/** What a sealed value is for: bound into every seal, so that a value sealed for one purpose never opens as another. */
export type SealPurpose = 'totp-secret' | 'totp-enrolment';

/**
 * AES-256-GCM under the staff key, which every API node shares: TOTP secrets
 * at rest (bound to their account) and enrolment tickets in the browser.
 * Nobody without the key can read or change a sealed value.
 */
export class StaffSeal {
  private readonly key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== STAFF_KEY_BYTES) throw new TypeError(`StaffSeal: the key must have ${STAFF_KEY_BYTES} bytes`);
    this.key = Buffer.from(key);
  }

  /** `text` sealed for `purpose` and `subject` (the account it belongs to), base64url. */
  seal(purpose: SealPurpose, subject: string, text: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(context(purpose, subject));
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** The text, or null when `sealed` is malformed, altered, sealed under another key or for another purpose or subject. */
  open(purpose: SealPurpose, subject: string, sealed: string): string | null {
    if (!SEALED_SHAPE.test(sealed)) return null;
    const bytes = Buffer.from(sealed, 'base64url');
    if (bytes.length <= IV_BYTES + TAG_BYTES) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES)).setAAD(context(purpose, subject));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}

function context(purpose: SealPurpose, subject: string): Buffer {
  return Buffer.from(`license-vault staff ${purpose} v1\u0000${subject}`, 'utf8');
}
