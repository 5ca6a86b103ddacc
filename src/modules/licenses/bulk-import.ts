import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AuditLog } from '../audit/index.js';
import { maskHolderNumber, parseCreditCode, parseHolderNumber, parseLicenseIdentifier } from '../identity/index.js';
import { isIsoDate } from '../templates/index.js';
import type { Clock } from '../../shared/clock.js';
import { isVaultError } from '../../shared/errors.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import type { LicenseRecord } from './license.js';
import { HOLDER_NAME_MAX_LENGTH } from './limits.js';
import { counterValuesOf } from './numbering.js';
import type { LicenseFileRepository, LicenseRepository } from './repository.js';
import { raiseCounterAudited } from './serial-skips.js';

/**
 * 存量入库: historical licenses, issued before the vault by other systems,
 * taken in with the files they were issued as. Each record names its file's
 * SHA-256. Strict mode refuses a record whose file does not match; lenient
 * mode takes it in suspended, flagged for review, so that it is found by
 * holder look-up but never verifies as authentic until an issuer reinstates
 * it. Records already in the vault (same identifier or same file) are
 * skipped, so an interrupted import can simply be run again.
 */

export const ImportRecordSchema = z
  .object({
    identifier: z.string().max(200),
    licenseNumber: z.string().min(1).max(64),
    licenseType: z.string().max(64),
    holder: z.object({ type: z.string(), id: z.string().max(64), name: z.string().trim().min(1).max(HOLDER_NAME_MAX_LENGTH) }).strict(),
    issuer: z.object({ creditCode: z.string().max(64), name: z.string().trim().min(1).max(200) }).strict(),
    divisionCode: z.string().regex(/^\d{6}$/, 'must be 6 digits'),
    issuedAt: z.iso.datetime({ offset: true }),
    validFrom: z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD'),
    validUntil: z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD').nullable(),
    status: z.enum(['active', 'suspended', 'revoked']).default('active'),
    statusReason: z.string().max(400).nullable().default(null),
    fields: z.record(z.string().max(64), z.union([z.string().max(2000), z.number()])),
    file: z.string().min(1).max(1024),
    sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits'),
  })
  .strict();

export type ImportRecordInput = z.infer<typeof ImportRecordSchema>;

export type ImportMode = 'strict' | 'lenient';

/** Why a record taken in leniently needs review. */
export type ImportFlag = 'checksum-mismatch' | 'unknown-license-type';

/** One line of an import: its parsed JSON and the bytes of the file it names (null when the file could not be read). */
export interface ImportItem {
  readonly line: number;
  readonly record: unknown;
  readonly file: Uint8Array | null;
  /** Why the line could not even be read (not JSON), if so. */
  readonly unreadable?: string;
}

export type ImportItemOutcome =
  | { readonly line: number; readonly identifier: string; readonly outcome: 'imported' }
  | { readonly line: number; readonly identifier: string; readonly outcome: 'flagged'; readonly flags: readonly ImportFlag[] }
  | { readonly line: number; readonly identifier: string; readonly outcome: 'skipped'; readonly reason: string }
  | { readonly line: number; readonly identifier: string | null; readonly outcome: 'rejected'; readonly reason: string };

/** What an import stores together: records, files, raised counters and audit entries. */
export interface ImportRepositories {
  readonly licenses: LicenseRepository;
  readonly licenseFiles: LicenseFileRepository;
  readonly audit: AuditLog;
}

/** The store an import works on; licenses already stored are looked for outside the transaction. */
export type ImportStore = UnitOfWork<ImportRepositories> & Pick<ImportRepositories, 'licenses'>;

export interface ImportOptions {
  readonly mode: ImportMode;
  /** Who runs the import, for the audit log. */
  readonly actor: string;
  /** License type codes the catalogue knows. */
  readonly isKnownLicenseType: (typeCode: string) => boolean;
}

const REVIEW_REASON = '存量入库待核验';

function rejected(line: number, identifier: string | null, reason: string): ImportItemOutcome {
  return { line, identifier, outcome: 'rejected', reason };
}

function reasonOf(error: unknown): string {
  if (isVaultError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof z.ZodError) return error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`).join('; ');
  return error instanceof Error ? error.message : String(error);
}

/**
 * The highest serial and license number per counter that imported licenses
 * hold, so that the counters can be moved past them: this vault must never
 * hand out a number a license from the old system already carries.
 */
function countersHeldBy(records: readonly LicenseRecord[]): { scope: string; issuerCreditCode: string; through: number }[] {
  const highest = new Map<string, { scope: string; issuerCreditCode: string; through: number }>();
  for (const { scope, issuerCreditCode, value } of records.flatMap((record) => counterValuesOf(record))) {
    const key = `${scope}|${issuerCreditCode}`;
    if (value > (highest.get(key)?.through ?? 0)) highest.set(key, { scope, issuerCreditCode, through: value });
  }
  return [...highest.values()];
}

export class LicenseImport {
  constructor(
    private readonly store: ImportStore,
    private readonly clock: Clock,
  ) {}

  /** Checks and stores one batch in one transaction; every item gets an outcome. */
  async importBatch(items: readonly ImportItem[], options: ImportOptions): Promise<ImportItemOutcome[]> {
    const now = this.clock.now();
    const outcomes: ImportItemOutcome[] = [];
    const accepted: { record: LicenseRecord; file: Uint8Array; flags: readonly ImportFlag[]; line: number }[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      const prepared = await this.prepare(item, options, now, seen);
      if ('outcome' in prepared) outcomes.push(prepared);
      else {
        accepted.push({ ...prepared, line: item.line });
        seen.add(prepared.record.identifier).add(prepared.record.sha256);
      }
    }
    if (accepted.length > 0) {
      await this.store.transaction(async (tx) => {
        for (const { record, file, flags } of accepted) await this.put(tx, record, file, flags, options.actor, now);
        for (const counter of countersHeldBy(accepted.map(({ record }) => record))) {
          await raiseCounterAudited(tx, counter, { actor: { id: options.actor, role: 'system' }, at: now.toISOString(), reason: 'import' });
        }
      });
    }
    for (const { record, flags, line } of accepted) {
      outcomes.push(flags.length === 0 ? { line, identifier: record.identifier, outcome: 'imported' } : { line, identifier: record.identifier, outcome: 'flagged', flags });
    }
    return outcomes.sort((a, b) => a.line - b.line);
  }

  private async prepare(
    item: ImportItem,
    options: ImportOptions,
    now: Date,
    seen: ReadonlySet<string>,
  ): Promise<{ record: LicenseRecord; file: Uint8Array; flags: ImportFlag[] } | ImportItemOutcome> {
    if (item.unreadable !== undefined) return rejected(item.line, null, item.unreadable);
    const parsed = ImportRecordSchema.safeParse(item.record);
    const identifierText = typeof (item.record as { identifier?: unknown } | null)?.identifier === 'string' ? (item.record as { identifier: string }).identifier : null;
    if (!parsed.success) return rejected(item.line, identifierText, reasonOf(parsed.error));
    const input = parsed.data;
    let identity;
    try {
      identity = {
        identifier: parseLicenseIdentifier(input.identifier),
        holder: parseHolderNumber(input.holder.type, input.holder.id, this.clock),
        issuer: parseCreditCode(input.issuer.creditCode),
      };
    } catch (error) {
      return rejected(item.line, input.identifier, reasonOf(error));
    }
    const { identifier, holder, issuer } = identity;
    if (identifier.typeCode !== input.licenseType)
      return rejected(item.line, input.identifier, `licenseType ${input.licenseType} is not the type code in the identifier (${identifier.typeCode})`);
    if (identifier.issuerCreditCode !== issuer.value) return rejected(item.line, input.identifier, 'issuer.creditCode is not the issuer in the identifier');
    if (input.validUntil !== null && input.validUntil < input.validFrom) return rejected(item.line, input.identifier, 'validUntil is before validFrom');
    if (item.file === null) return rejected(item.line, input.identifier, `file ${input.file} cannot be read`);

    const sha256 = createHash('sha256').update(item.file).digest('hex');
    const flags: ImportFlag[] = [];
    if (sha256 !== input.sha256.toLowerCase()) flags.push('checksum-mismatch');
    if (!options.isKnownLicenseType(input.licenseType)) flags.push('unknown-license-type');
    if (flags.length > 0 && options.mode === 'strict')
      return rejected(item.line, input.identifier, `${flags.join(', ')} (strict mode; --lenient takes such records in suspended for review)`);

    if (seen.has(identifier.identifier) || seen.has(sha256))
      return { line: item.line, identifier: identifier.identifier, outcome: 'skipped', reason: 'appears earlier in this import' };
    if (await this.store.licenses.findByIdentifier(identifier.identifier))
      return { line: item.line, identifier: identifier.identifier, outcome: 'skipped', reason: 'already in the vault' };
    if (await this.store.licenses.findBySha256(sha256))
      return { line: item.line, identifier: identifier.identifier, outcome: 'skipped', reason: 'its file is already in the vault' };

    const flagged = flags.length > 0;
    const record: LicenseRecord = {
      identifier: identifier.identifier,
      licenseNumber: input.licenseNumber,
      typeCode: identifier.typeCode,
      serial: identifier.serial,
      version: identifier.version,
      issuer: { creditCode: issuer.value, name: input.issuer.name },
      holder: { type: holder.type, number: holder.value, name: input.holder.name.normalize('NFC') },
      divisionCode: input.divisionCode,
      issuedAt: new Date(input.issuedAt).toISOString(),
      validFrom: input.validFrom,
      validUntil: input.validUntil,
      fields: input.fields,
      templateVersion: 'imported',
      status: flagged && input.status === 'active' ? 'suspended' : input.status,
      statusReason: flagged && input.status === 'active' ? `${REVIEW_REASON}: ${flags.join(', ')}` : input.statusReason,
      statusChangedAt: flagged || input.status !== 'active' ? now.toISOString() : null,
      supersedes: null,
      revision: 1,
      sha256,
      // Not signed by a key of this vault: no certificate to name.
      certificateFingerprint: '',
      verificationCode: randomBytes(16).toString('base64url'),
    };
    return { record, file: item.file, flags };
  }

  private async put(tx: ImportRepositories, record: LicenseRecord, file: Uint8Array, flags: readonly ImportFlag[], actor: string, now: Date): Promise<void> {
    await tx.licenses.insert(record);
    await tx.licenseFiles.put({ identifier: record.identifier, sha256: record.sha256, bytes: file });
    await tx.audit.append({
      at: now.toISOString(),
      actor: { id: actor, role: 'system' },
      action: 'license.import',
      target: record.identifier,
      details: {
        licenseType: record.typeCode,
        holderType: record.holder.type,
        holder: maskHolderNumber({ type: record.holder.type, value: record.holder.number }),
        status: record.status,
        ...(flags.length > 0 ? { flags: flags.join(',') } : {}),
      },
    });
  }
}
