import { IdentityError } from '../../../../src/shared/errors.js';
import type { ErrorCode } from '../../../../src/shared/errors.js';

/** Asserts that `action` throws an IdentityError carrying `code`. */
export function expectIdentityError(action: () => unknown, code: ErrorCode): void {
  expect(action).toThrow(IdentityError);
  // expect.objectContaining is typed `any`; it is an asymmetric matcher that toThrow accepts.
  expect(action).toThrow(expect.objectContaining({ code }) as Error);
}
