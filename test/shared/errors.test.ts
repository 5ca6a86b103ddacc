import { STATUS_BY_CODE } from '../../src/http/problem.js';
import {
  ERROR_CLASSES,
  ERROR_TITLES,
  errorClassOf,
  IdentityError,
  LicenseError,
  NotFoundError,
  RequestError,
  SigningError,
  TemplateError,
  vaultErrorOf,
  type ErrorCode,
} from '../../src/shared/errors.js';

const ALL_CODES = Object.keys(ERROR_TITLES) as ErrorCode[];

describe('error codes: one class and one HTTP status per code', () => {
  test('every code is carried by exactly one error class, and the classes carry no other code', () => {
    for (const code of ALL_CODES) {
      const carriers = ERROR_CLASSES.filter((type) => Object.hasOwn(type.codes, code)).map((type) => type.name);
      expect([code, carriers]).toEqual([code, [errorClassOf(code).name]]);
    }
    // The union is built by spreading the families, which would hide a code declared twice: count them.
    const declared = ERROR_CLASSES.flatMap((type) => Object.keys(type.codes));
    expect(declared.sort()).toEqual([...ALL_CODES].sort());
    expect(new Set(ERROR_CLASSES.map((type) => type.name)).size).toBe(ERROR_CLASSES.length);
  });

  test('every code has one HTTP status in the one table, and the table names no other code', () => {
    expect(Object.keys(STATUS_BY_CODE).sort()).toEqual([...ALL_CODES].sort());
    for (const code of ALL_CODES) expect([code, STATUS_BY_CODE[code] >= 400 && STATUS_BY_CODE[code] <= 599]).toEqual([code, true]);
  });

  test('vaultErrorOf rebuilds each code as its own class, with the title as the default message', () => {
    for (const code of ALL_CODES) {
      const error = vaultErrorOf(code, undefined, { field: 'x' });
      expect(error).toBeInstanceOf(errorClassOf(code));
      expect(error).toMatchObject({ code, message: ERROR_TITLES[code], details: { field: 'x' }, name: errorClassOf(code).name });
    }
  });

  test('faults inside the vault are 500s of their own; ERR_PDF_INVALID is only a client file', () => {
    expect([STATUS_BY_CODE.ERR_RENDER_FAILED, errorClassOf('ERR_RENDER_FAILED')]).toEqual([500, TemplateError]);
    expect([STATUS_BY_CODE.ERR_SIGNING_FAILED, errorClassOf('ERR_SIGNING_FAILED')]).toEqual([500, SigningError]);
    expect([STATUS_BY_CODE.ERR_TRUST_DIRECTORY_INVALID, errorClassOf('ERR_TRUST_DIRECTORY_INVALID')]).toEqual([500, SigningError]);
    expect([STATUS_BY_CODE.ERR_PDF_INVALID, errorClassOf('ERR_PDF_INVALID')]).toEqual([400, RequestError]);
  });

  test("a class refuses another family's code: a compile error, and a TypeError at run time", () => {
    expect(new IdentityError('ERR_CITIZEN_ID_CHECKSUM').code).toBe('ERR_CITIZEN_ID_CHECKSUM');
    // @ts-expect-error ERR_PDF_INVALID is a RequestError code (a client's file), never a signing fault.
    expect(() => new SigningError('ERR_PDF_INVALID')).toThrow(new TypeError('SigningError does not carry ERR_PDF_INVALID'));
    // @ts-expect-error a missing license is a NotFoundError, not a LicenseError.
    expect(() => new LicenseError('ERR_LICENSE_NOT_FOUND')).toThrow(TypeError);
    // @ts-expect-error the trust directory has its own code; the key store's is a different fault.
    expect(() => new TemplateError('ERR_SIGNER_KEY_STORE_INVALID')).toThrow(TypeError);
    // @ts-expect-error not a code at all.
    expect(() => new NotFoundError('ERR_NO_SUCH_CODE')).toThrow(TypeError);
    expect(() => errorClassOf('ERR_NO_SUCH_CODE' as ErrorCode)).toThrow(TypeError);
  });
});
