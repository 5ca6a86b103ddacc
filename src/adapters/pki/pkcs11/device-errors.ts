import { SigningError } from '../../../shared/errors.js';
import { returnValueOf } from './binding.js';

/** Return values that mean the PIN was refused, or cannot be used any more. */
const PIN_REFUSED = new Set(['CKR_PIN_INCORRECT', 'CKR_PIN_INVALID', 'CKR_PIN_LEN_RANGE', 'CKR_PIN_EXPIRED', 'CKR_PIN_LOCKED']);
/** Return values that mean the token (or its slot) went away. */
const TOKEN_GONE = new Set(['CKR_TOKEN_NOT_PRESENT', 'CKR_TOKEN_NOT_RECOGNIZED', 'CKR_DEVICE_REMOVED', 'CKR_SLOT_ID_INVALID']);

/** What the vault was doing when the device failed: the PKCS#11 function and the token. */
export interface DeviceContext {
  readonly call: string;
  readonly tokenLabel: string;
}

function codeFor(returnValue: string | null): SigningError['code'] {
  if (returnValue !== null && PIN_REFUSED.has(returnValue)) return 'ERR_SIGNER_PIN';
  if (returnValue !== null && TOKEN_GONE.has(returnValue)) return 'ERR_SIGNER_TOKEN_MISSING';
  return 'ERR_SIGNER_UNAVAILABLE';
}

/**
 * A failed PKCS#11 call as a SigningError with a stable code:
 * ERR_SIGNER_PIN, ERR_SIGNER_TOKEN_MISSING or ERR_SIGNER_UNAVAILABLE (any
 * other return value, or a failure of the library itself). The message
 * names the call, the token and the CKR_* value; the PIN never reaches it
 * (pkcs11js messages hold only the return value).
 */
export function deviceError(error: unknown, context: DeviceContext): SigningError {
  if (error instanceof SigningError) return error;
  const returnValue = returnValueOf(error);
  const reason = returnValue ?? (error instanceof Error ? error.message : String(error));
  return new SigningError(
    codeFor(returnValue),
    `PKCS#11 ${context.call} failed on token "${context.tokenLabel}": ${reason}`,
    { call: context.call, token: context.tokenLabel, reason },
    { cause: error },
  );
}

/** Runs one synchronous PKCS#11 call, turning its failure into {@link deviceError}. */
export function call<T>(context: DeviceContext, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw deviceError(error, context);
  }
}

/** As {@link call}, for a call that returns a promise. */
export async function callAsync<T>(context: DeviceContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw deviceError(error, context);
  }
}
