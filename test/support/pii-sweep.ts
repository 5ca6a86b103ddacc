import { isValidCitizenId } from '../../src/modules/identity/index.js';

/**
 * Everything a test file's vault said where personal data must not appear
 * in full: every log line (captured loggers, and the stdout and stderr of
 * vault processes), and every response to a public route (anyone may call
 * it: verification, the QR link, the verify page). Swept after each test
 * file for citizen ID numbers that were not masked.
 */
const said: { readonly where: string; readonly text: string }[] = [];

/** Public routes whose responses are swept. The license-type catalogue is public too, but carries only the published example holder. */
const PUBLIC_PATH = /^\/(api\/v1\/verifications|v\/|verify|healthz|readyz|api\/v1\/trust)/;

export function recordLog(where: string, text: string): void {
  said.push({ where: `log (${where})`, text });
}

export function recordResponse(path: string, text: string): void {
  if (PUBLIC_PATH.test(path)) said.push({ where: `public response to ${path.split('?')[0]}`, text });
}

const CANDIDATE = /(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])/g;
const NOW = { now: () => new Date() };

/** The citizen ID numbers in `text` that a check digit and a birth date make real; masked ones are not. */
export function citizenIdsIn(text: string): string[] {
  return [...text.matchAll(CANDIDATE)].map(([candidate]) => candidate).filter((candidate) => isValidCitizenId(candidate, NOW));
}

/** Every unmasked citizen ID number said so far in this test file, as `where: number`. */
export function unmaskedCitizenIds(): string[] {
  return [...new Set(said.flatMap(({ where, text }) => citizenIdsIn(text).map((id) => `${where}: ${id}`)))];
}

/** How much was swept, so that a sweep seeing nothing shows. */
export function sweptCount(): { logs: number; responses: number } {
  return { logs: said.filter((entry) => entry.where.startsWith('log')).length, responses: said.filter((entry) => entry.where.startsWith('public')).length };
}
