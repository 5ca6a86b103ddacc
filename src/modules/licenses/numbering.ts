import type { LicenseRecord } from './license.js';
import { LICENSE_NUMBER_COUNTER, type CounterValue } from './repository.js';

/** A serial, and the running part of a license number, are counter values written with this many digits, zero-padded. */
const DIGITS = 8;
const SERIAL = /^\d{8}$/;
/** A license number ends in its year and its running number for that year. */
const LICENSE_NUMBER_TAIL = /(\d{4})(\d{8})$/;

export function counterText(value: number): string {
  return String(value).padStart(DIGITS, '0');
}

/**
 * The counter values a license's serial and license number are, when they
 * have the form this vault gives its own; a number in another form (an
 * imported license's) can never be handed out here, and holds none.
 */
export function counterValuesOf(license: Pick<LicenseRecord, 'typeCode' | 'issuer' | 'serial' | 'licenseNumber'>): CounterValue[] {
  const issuerCreditCode = license.issuer.creditCode;
  const values: CounterValue[] = [];
  if (SERIAL.test(license.serial)) values.push({ scope: license.typeCode, issuerCreditCode, value: Number(license.serial) });
  const tail = LICENSE_NUMBER_TAIL.exec(license.licenseNumber);
  if (tail) values.push({ scope: `${LICENSE_NUMBER_COUNTER}${tail[1]}`, issuerCreditCode, value: Number(tail[2]) });
  return values;
}
