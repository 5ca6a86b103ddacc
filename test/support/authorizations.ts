import { SecurityEventRecorder } from '../../src/modules/audit/index.js';
import { authorizationServices, type AuthorizationServices } from '../../src/composition/authorizations.js';
import type { ActingHolder } from '../../src/modules/authorizations/index.js';
import type { LicenseRecord } from '../../src/modules/licenses/index.js';
import type { LicenseTemplate } from '../../src/modules/templates/index.js';
import { TEST_DEPARTMENT } from '../fixtures/pki.js';
import type { VaultHarness } from './vault-harness.js';

export const CITIZEN = '11010519491231002X';
export const OTHER_CITIZEN = '440524188001010014';
/** A second office, known to the vault, that issues nothing here. */
export const OTHER_OFFICE = { creditCode: '12350100MB0000000U', name: '福州市教育局' };
export const TEACHER_TYPE = '11100000000013338W001';
export const DOCTOR_TYPE = '11100000MB018476XW001';

/** The holder `number` acting on their own authorizations, as their session would make them. */
export function actingHolder(number: string = CITIZEN): ActingHolder {
  return { holder: { type: 'citizen', value: number }, actor: { id: `holder:${number.slice(0, 6)}********${number.slice(-4)}`, role: 'holder' } };
}

/** TEST FIXTURE: a license of the shipped template `templateId` issued by the harness department to the citizen `number`. */
export async function issueTo(vault: VaultHarness, templateId: 'teacher-qualification' | 'medical-practitioner', number: string = CITIZEN): Promise<LicenseRecord> {
  const template = vault.templates.latest().find((t) => t.id === templateId) as LicenseTemplate;
  const issuer = { clientId: 'issuer-direct', role: 'issuer', department: TEST_DEPARTMENT.creditCode } as const;
  const { license } = await vault.issuance.issue(issuer, {
    licenseType: template.catalogue.typeCode,
    holder: { type: 'citizen', id: number, name: '李秀英' },
    fields: template.example.fields,
  });
  return license;
}

/** Makes the second office known (idempotent). */
export async function addOtherOffice(vault: VaultHarness): Promise<void> {
  if (await vault.store.departments.get(OTHER_OFFICE.creditCode)) return;
  const at = vault.clock.now().toISOString();
  await vault.store.departments.insert({ ...OTHER_OFFICE, divisionCode: '350100', licenseTypes: [], signingKey: null, sealImage: null, createdAt: at, updatedAt: at });
}

/** The authorization services over the harness, as the composition root builds them. */
export function harnessAuthorizations(vault: VaultHarness, lookupPolicy: 'number' | 'consent' = 'number'): AuthorizationServices & { securityEvents: SecurityEventRecorder } {
  const securityEvents = new SecurityEventRecorder({ audit: vault.store.audit, clock: vault.clock });
  const isKnownLicenseType = (typeCode: string) => vault.templates.latest().some((t) => t.catalogue.typeCode === typeCode);
  return {
    ...authorizationServices({ store: vault.store, clock: vault.clock, fingerprinter: vault.fingerprinter, securityEvents, isKnownLicenseType, lookupPolicy }),
    securityEvents,
  };
}
