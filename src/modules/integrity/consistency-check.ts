import { createHash } from 'node:crypto';
import { verifyAuditLog, type AuditLog } from '../audit/index.js';
import {
  counterValuesOf,
  skippedSerialsOf,
  type LicenseFileRepository,
  type LicenseRecord,
  type LicenseRepository,
  type SerialLedger,
  type SkippedSerials,
} from '../licenses/index.js';
import type { PdfSignatureVerifier } from '../verification/index.js';

export const CONSISTENCY_CHECKS = ['store-integrity', 'license-files', 'signatures', 'audit-correspondence', 'serials', 'audit-chain'] as const;
export type ConsistencyCheckName = (typeof CONSISTENCY_CHECKS)[number];

export interface ConsistencyCheck {
  readonly name: ConsistencyCheckName;
  readonly ok: boolean;
  /** What was checked, and what was found that is explained (abandoned serials, imported files). */
  readonly detail: string;
  /** The first problems found, for people; `problemCount` says how many there were. */
  readonly problems: readonly string[];
  readonly problemCount: number;
}

export interface ConsistencyReport {
  readonly ok: boolean;
  readonly licenses: number;
  readonly auditEntries: number;
  readonly checks: readonly ConsistencyCheck[];
}

/** What `fsck` reads: every license, file and audit entry, and the database engine's own check. */
export interface ConsistencyStore {
  /** Names the store in the report. */
  readonly kind: string;
  readonly licenses: LicenseRepository;
  readonly licenseFiles: LicenseFileRepository;
  readonly audit: AuditLog;
  /** The database engine's own structural check: what it found wrong, nothing when sound. */
  checkIntegrity(): Promise<readonly string[]>;
}

export interface ConsistencyDependencies {
  readonly store: ConsistencyStore;
  /** The strict verifier, trusting the vault's roots. */
  readonly verifier: PdfSignatureVerifier;
}

/** Audit actions that create a license: each license has exactly one. */
const CREATING_ACTIONS = new Set(['license.issue', 'license.reissue', 'license.import']);
const PAGE = 500;
const SHOWN_PROBLEMS = 20;

class Findings {
  readonly problems: string[] = [];
  count = 0;

  add(problem: string): void {
    this.count += 1;
    if (this.problems.length < SHOWN_PROBLEMS) this.problems.push(problem);
  }

  check(name: ConsistencyCheckName, detail: string): ConsistencyCheck {
    return { name, ok: this.count === 0, detail, problems: this.problems, problemCount: this.count };
  }
}

/** Which numbers of which counter the stored licenses hold: `${scope}|${issuer}` → values. */
class CounterUse {
  private readonly used = new Map<string, Set<number>>();

  add(scope: string, issuer: string, value: number): void {
    const key = `${scope}|${issuer}`;
    let values = this.used.get(key);
    if (!values) this.used.set(key, (values = new Set()));
    values.add(value);
  }

  values(scope: string, issuer: string): ReadonlySet<number> {
    return this.used.get(`${scope}|${issuer}`) ?? new Set();
  }
}

/**
 * `license-vault fsck`: after a crash or a restore, is the vault whole? The
 * store's own integrity check; every license's file present, hashing to its
 * SHA-256 and (for licenses issued here) carrying a valid signature; exactly
 * one audit entry creating each license and no such entry without its
 * license; no serial or license number twice, and every number a counter
 * handed out either held by a license or reserved (an issuance that never
 * completed); and the audit chain intact. Reads only.
 */
export async function checkVaultConsistency(deps: ConsistencyDependencies): Promise<ConsistencyReport> {
  const { store } = deps;
  const integrity = new Findings();
  for (const problem of await store.checkIntegrity()) integrity.add(problem);

  const { creations, skips } = await readAuditFacts(store);
  const files = new Findings();
  const signatures = new Findings();
  const correspondence = new Findings();
  const serials = new Findings();
  const issuedHere = new CounterUse();
  const serialKeys = new Set<string>();
  const numberKeys = new Set<string>();
  let licenses = 0;
  let importedWithoutValidSignature = 0;

  for (let after: string | null = null; ;) {
    const page: readonly LicenseRecord[] = await store.licenses.scan(after, PAGE);
    if (page.length === 0) break;
    for (const license of page) {
      licenses += 1;
      const created = creations.get(license.identifier) ?? [];
      creations.delete(license.identifier);
      if (created.length !== 1)
        correspondence.add(
          `${license.identifier}: ${created.length === 0 ? 'no audit entry records its creation' : `created ${created.length} times in the audit log (${created.join(', ')})`}`,
        );
      const imported = created.length > 0 && created.every((action) => action === 'license.import');

      const serialKey = `${license.typeCode}|${license.issuer.creditCode}|${license.serial}|${license.version}`;
      if (serialKeys.has(serialKey)) serials.add(`serial ${license.serial} version ${license.version} of type ${license.typeCode} is held by more than one license`);
      serialKeys.add(serialKey);
      const numberKey = `${license.issuer.creditCode}|${license.licenseNumber}`;
      if (numberKeys.has(numberKey)) serials.add(`license number ${license.licenseNumber} is held by more than one license of ${license.issuer.creditCode}`);
      numberKeys.add(numberKey);
      if (!imported) for (const held of counterValuesOf(license)) issuedHere.add(held.scope, held.issuerCreditCode, held.value);

      const file = await store.licenseFiles.get(license.identifier);
      if (!file) {
        files.add(`${license.identifier}: no file stored`);
        continue;
      }
      const actual = createHash('sha256').update(file.bytes).digest('hex');
      if (actual !== license.sha256 || file.sha256 !== license.sha256) {
        files.add(`${license.identifier}: the stored file hashes to ${actual.slice(0, 16)}…, the record says ${license.sha256.slice(0, 16)}…`);
        continue;
      }
      // The verifier may take the bytes over; the store's copy is not needed afterwards.
      const verdict = await deps.verifier.verify(file.bytes);
      if (verdict.valid) continue;
      if (imported) importedWithoutValidSignature += 1;
      else signatures.add(`${license.identifier}: ${verdict.checks.find((check) => !check.ok)?.name ?? 'invalid'} fails`);
    }
    after = page.at(-1)!.identifier;
  }
  for (const [identifier, actions] of creations) correspondence.add(`${identifier}: ${actions.join(', ')} in the audit log, but no such license`);

  const { abandoned, skipped } = checkCounters(await store.licenses.serialLedger(), issuedHere, skips, serials);
  const chain = await verifyAuditLog(store.audit);
  const chainFindings = new Findings();
  if (!chain.ok && chain.problem) chainFindings.add(`broken at seq ${chain.problem.seq}: ${chain.problem.reason}`);

  const checks = [
    integrity.check('store-integrity', `${store.kind}'s own integrity check`),
    files.check('license-files', `${licenses} licenses: each file present and hashing to its recorded SHA-256`),
    signatures.check(
      'signatures',
      `every file issued here carries a valid signature${importedWithoutValidSignature > 0 ? `; ${importedWithoutValidSignature} imported files do not verify against this vault's roots (signed elsewhere, as imported)` : ''}`,
    ),
    correspondence.check('audit-correspondence', 'each license created by exactly one audit entry, and each such entry naming a stored license'),
    serials.check(
      'serials',
      `no serial or license number twice; every number handed out is held, reserved or skipped${abandoned > 0 ? `; ${abandoned} reserved but never stored (issuances that failed or were cut short)` : ''}${skipped > 0 ? `; ${skipped} skipped by import or reconcile, as the audit log records` : ''}`,
    ),
    chainFindings.check('audit-chain', `${chain.entries} entries, hash-chained`),
  ];
  return { ok: checks.every((check) => check.ok), licenses, auditEntries: chain.entries, checks };
}

/** From the audit log: which entries created which license, and which counter numbers were skipped on purpose. */
async function readAuditFacts(store: Pick<ConsistencyStore, 'audit'>): Promise<{ creations: Map<string, string[]>; skips: SkippedSerials[] }> {
  const creations = new Map<string, string[]>();
  const skips: SkippedSerials[] = [];
  for (let afterSeq = 0; ;) {
    const page = await store.audit.list(afterSeq, PAGE * 2);
    if (page.length === 0) break;
    for (const entry of page) {
      const skip = skippedSerialsOf(entry);
      if (skip) skips.push(skip);
      if (!CREATING_ACTIONS.has(entry.action) || entry.target === null) continue;
      const actions = creations.get(entry.target) ?? [];
      actions.push(entry.action);
      creations.set(entry.target, actions);
    }
    afterSeq = page.at(-1)!.seq;
  }
  return { creations, skips };
}

/**
 * Every number 1..last of every counter is held by a license issued here,
 * reserved, or inside a range the audit log says was skipped; none is held
 * beyond `last`. Skipped ranges are stepped over whole, as they may be long.
 */
function checkCounters(ledger: SerialLedger, used: CounterUse, skips: readonly SkippedSerials[], findings: Findings): { abandoned: number; skipped: number } {
  const reserved = new CounterUse();
  for (const reservation of ledger.reservations) reserved.add(reservation.scope, reservation.issuerCreditCode, reservation.value);
  let abandoned = 0;
  let skipped = 0;
  for (const counter of ledger.counters) {
    const held = used.values(counter.scope, counter.issuerCreditCode);
    const open = reserved.values(counter.scope, counter.issuerCreditCode);
    const ranges = skips.filter((skip) => skip.scope === counter.scope && skip.issuerCreditCode === counter.issuerCreditCode).sort((a, b) => a.from - b.from);
    const where = `counter ${counter.scope} of ${counter.issuerCreditCode}`;
    let next = 0;
    for (let value = 1; value <= counter.last; value += 1) {
      while (next < ranges.length && ranges[next]!.through < value) next += 1;
      const range = ranges[next];
      if (range && range.from <= value && !held.has(value) && !open.has(value)) {
        const end = Math.min(range.through, counter.last);
        skipped += end - value + 1;
        value = end;
        continue;
      }
      if (held.has(value) && open.has(value)) findings.add(`${where}: ${value} is held by a license yet still reserved`);
      else if (open.has(value)) abandoned += 1;
      else if (!held.has(value)) findings.add(`${where}: ${value} was handed out but is neither held, reserved nor skipped (an unexplained gap)`);
    }
    for (const value of held) {
      if (value > counter.last)
        findings.add(`${where}: ${value} is held by a license but the counter is at ${counter.last}, so it would be handed out again (a restore of an older copy?)`);
    }
  }
  return { abandoned, skipped };
}
