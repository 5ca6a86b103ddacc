import { z } from 'zod';
import { isoInstant, named } from './common.js';

export const AuditPageQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0).describe('Entries after this sequence number'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type AuditPageQuery = z.infer<typeof AuditPageQuery>;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** The chain head at a moment, signed by the vault: what an auditor keeps to detect a rollback later. */
export const AuditCheckpoint = named(
  'AuditCheckpoint',
  z.strictObject({ seq: z.int().min(0), hash: z.string().max(64), at: z.string().max(40), keyId: z.string().max(200), signature: z.string().max(400) }),
);
export type AuditCheckpoint = z.infer<typeof AuditCheckpoint>;

export const VerifyAuditRequest = z.strictObject({ checkpoint: AuditCheckpoint.optional() });
export type VerifyAuditRequest = z.infer<typeof VerifyAuditRequest>;

export const AuditEntry = named(
  'AuditEntry',
  z.strictObject({
    seq: z.int().min(1),
    prevHash: sha256Hex,
    hash: sha256Hex,
    at: isoInstant,
    actor: z.strictObject({
      id: z.string(),
      role: z.string(),
      address: z.string().optional().describe('Client address of the request; absent for the CLI and the vault itself'),
      requestId: z.string().optional().describe('The request id (X-Request-Id) of the request; absent outside a request'),
    }),
    action: z.string().describe('Dotted verb: license.issue, holder.query, …'),
    target: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    legacyHash: sha256Hex.optional().describe('The hash before a re-key rewrote this entry (ADR 0010); the audit.rekey entry after it commits to these'),
  }),
);

export const AuditPage = named(
  'AuditPage',
  z.strictObject({ items: z.array(AuditEntry), nextAfter: z.int().nullable().describe('Give as after for the next page; null on the last') }),
);

export const AuditVerification = named(
  'AuditVerification',
  z.strictObject({
    ok: z.boolean(),
    entries: z.int().min(0),
    lastSeq: z.int().min(0),
    problem: z.strictObject({ seq: z.int(), reason: z.enum(['gap', 'link', 'hash', 'truncated', 'checkpoint-signature', 'legacy']) }).nullable(),
  }),
);
