import { endianness } from 'node:os';
import pkcs11js from 'pkcs11js';

/**
 * The one file that imports pkcs11js: the part of its PKCS#11 binding the
 * vault calls, the constants it uses, and how its errors read.
 */

/** A slot, session or object handle, as pkcs11js passes them (opaque bytes). */
export type Handle = Buffer;

/** The PKCS#11 functions the vault calls. A test may hand in a wrapper of the real binding to inject faults. */
export type Pkcs11Binding = Pick<
  pkcs11js.PKCS11,
  | 'close'
  | 'C_Initialize'
  | 'C_Finalize'
  | 'C_GetSlotList'
  | 'C_GetTokenInfo'
  | 'C_GetMechanismList'
  | 'C_OpenSession'
  | 'C_CloseSession'
  | 'C_Login'
  | 'C_FindObjectsInit'
  | 'C_FindObjects'
  | 'C_FindObjectsFinal'
  | 'C_GetAttributeValue'
  | 'C_SetAttributeValue'
  | 'C_DestroyObject'
  | 'C_GenerateKeyPairAsync'
  | 'C_SignInit'
  | 'C_SignAsync'
>;

export type Attribute = pkcs11js.Attribute;
export type Template = pkcs11js.Template;

/** Loads (dlopen) the PKCS#11 module at `path`; C_Initialize is the caller's. */
export function loadPkcs11Binding(path: string): Pkcs11Binding {
  const binding = new pkcs11js.PKCS11();
  binding.load(path);
  return binding;
}

/** The PKCS#11 constants the vault uses (the standard's names and values). */
export const CK = Object.freeze({
  CKF_OS_LOCKING_OK: pkcs11js.CKF_OS_LOCKING_OK,
  CKF_SERIAL_SESSION: pkcs11js.CKF_SERIAL_SESSION,
  CKF_RW_SESSION: pkcs11js.CKF_RW_SESSION,
  CKF_TOKEN_INITIALIZED: pkcs11js.CKF_TOKEN_INITIALIZED,
  CKU_USER: pkcs11js.CKU_USER,
  CKO_PRIVATE_KEY: pkcs11js.CKO_PRIVATE_KEY,
  CKO_PUBLIC_KEY: pkcs11js.CKO_PUBLIC_KEY,
  CKK_RSA: pkcs11js.CKK_RSA,
  CKK_EC: pkcs11js.CKK_EC,
  CKA_CLASS: pkcs11js.CKA_CLASS,
  CKA_KEY_TYPE: pkcs11js.CKA_KEY_TYPE,
  CKA_ID: pkcs11js.CKA_ID,
  CKA_LABEL: pkcs11js.CKA_LABEL,
  CKA_TOKEN: pkcs11js.CKA_TOKEN,
  CKA_PRIVATE: pkcs11js.CKA_PRIVATE,
  CKA_SENSITIVE: pkcs11js.CKA_SENSITIVE,
  CKA_EXTRACTABLE: pkcs11js.CKA_EXTRACTABLE,
  CKA_ALWAYS_SENSITIVE: pkcs11js.CKA_ALWAYS_SENSITIVE,
  CKA_NEVER_EXTRACTABLE: pkcs11js.CKA_NEVER_EXTRACTABLE,
  CKA_SIGN: pkcs11js.CKA_SIGN,
  CKA_VERIFY: pkcs11js.CKA_VERIFY,
  CKA_DECRYPT: pkcs11js.CKA_DECRYPT,
  CKA_ENCRYPT: pkcs11js.CKA_ENCRYPT,
  CKA_UNWRAP: pkcs11js.CKA_UNWRAP,
  CKA_WRAP: pkcs11js.CKA_WRAP,
  CKA_DERIVE: pkcs11js.CKA_DERIVE,
  CKA_MODIFIABLE: pkcs11js.CKA_MODIFIABLE,
  CKA_MODULUS: pkcs11js.CKA_MODULUS,
  CKA_MODULUS_BITS: pkcs11js.CKA_MODULUS_BITS,
  CKA_PUBLIC_EXPONENT: pkcs11js.CKA_PUBLIC_EXPONENT,
  CKA_PRIVATE_EXPONENT: pkcs11js.CKA_PRIVATE_EXPONENT,
  CKA_PRIME_1: pkcs11js.CKA_PRIME_1,
  CKA_VALUE: pkcs11js.CKA_VALUE,
  CKA_EC_PARAMS: pkcs11js.CKA_EC_PARAMS,
  CKA_EC_POINT: pkcs11js.CKA_EC_POINT,
  CKM_RSA_PKCS_KEY_PAIR_GEN: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN,
  CKM_EC_KEY_PAIR_GEN: pkcs11js.CKM_EC_KEY_PAIR_GEN,
  CKM_SHA256_RSA_PKCS: pkcs11js.CKM_SHA256_RSA_PKCS,
  CKM_ECDSA: pkcs11js.CKM_ECDSA,
});

/** PKCS#11 return values by number, for the errors this adapter tells apart. */
const RETURN_VALUE_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(pkcs11js)
    .filter((entry): entry is [string, number] => entry[0].startsWith('CKR_') && typeof entry[1] === 'number')
    .map(([name, value]) => [value, name]),
);

/**
 * The CKR_* name a failed PKCS#11 call returned (pkcs11js throws a
 * Pkcs11Error carrying it), or null when `error` is not a PKCS#11 return
 * value (a dlopen failure, a bad argument).
 */
export function returnValueOf(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  if (/^CKR_[A-Z0-9_]+$/.test(error.message)) return error.message;
  const code = (error as { code?: unknown }).code;
  if (error.name === 'Pkcs11Error' && typeof code === 'number') return RETURN_VALUE_NAMES.get(code) ?? `CKR 0x${code.toString(16)}`;
  return null;
}

/** A CK_ULONG attribute value (CKA_CLASS, CKA_KEY_TYPE, …) as pkcs11js returns it: the native bytes of an unsigned long. */
export function readUlong(value: Buffer | undefined): number | undefined {
  if (value === undefined) return undefined;
  const littleEndian = endianness() === 'LE';
  if (value.length === 8) return Number(littleEndian ? value.readBigUInt64LE(0) : value.readBigUInt64BE(0));
  if (value.length === 4) return littleEndian ? value.readUInt32LE(0) : value.readUInt32BE(0);
  return undefined;
}
