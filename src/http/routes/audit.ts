import type { Response } from 'express';
import {
  createCheckpoint,
  verifyAuditLog,
  type AuditCheckpoint as Checkpoint,
  type AuditLog,
  type AuditVerification as AuditVerificationResult,
  type CheckpointSigner,
} from '../../modules/audit/index.js';
import type { Clock } from '../../shared/clock.js';
import { recordSecurityEvent } from '../middleware/security-events.js';
import type { Shape } from '../schemas/common.js';
import { AuditCheckpoint, AuditPage, AuditPageQuery, AuditVerification, VerifyAuditRequest } from '../schemas/audit.js';
import { mountRoutes, routeOf, type RouteDefinition } from './route.js';

export interface AuditRouteDependencies {
  readonly audit: AuditLog;
  readonly signer: CheckpointSigner;
  readonly clock: Clock;
}

const route = routeOf<AuditRouteDependencies>();
const TAG = 'Audit';
const AUDITOR = ['auditor'] as const;
const verification = { 200: { description: 'Whether the chain holds, and where it first breaks', content: { 'application/json': AuditVerification } } };

/** Verifies the chain, then records that the auditor did and what came out. */
async function verify(deps: AuditRouteDependencies, res: Response, checkpoint: Checkpoint | undefined): Promise<AuditVerificationResult> {
  const result = await verifyAuditLog(deps.audit, checkpoint ? { value: checkpoint, signer: deps.signer } : undefined);
  const against = checkpoint ? { checkpoint: { seq: checkpoint.seq, at: checkpoint.at, keyId: checkpoint.keyId } } : {};
  await recordSecurityEvent(res, {
    action: 'audit.verify',
    details: { ...against, ok: result.ok, entries: result.entries, lastSeq: result.lastSeq, problem: result.problem },
    kind: 'once',
  });
  return result;
}

/** The audit log for auditors: pages, whole-chain verification, signed checkpoints. */
export const AUDIT_ROUTES: readonly RouteDefinition<AuditRouteDependencies>[] = [
  route({
    method: 'get',
    path: '/api/v1/audit',
    tag: TAG,
    summary: 'Audit log entries, oldest first',
    roles: AUDITOR,
    request: { query: AuditPageQuery },
    responses: { 200: { description: 'A page of entries', content: { 'application/json': AuditPage } } },
    async handle({ query: { after, limit } }, _req, res, deps) {
      const items = await deps.audit.list(after, limit);
      const range = { after, limit, returned: items.length, firstSeq: items[0]?.seq ?? null, lastSeq: items.at(-1)?.seq ?? null };
      await recordSecurityEvent(res, { action: 'audit.read', details: range, kind: 'once' });
      res.json({ items, nextAfter: items.length === limit ? (items.at(-1)?.seq ?? null) : null } satisfies Shape<typeof AuditPage>);
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/audit/verify',
    tag: TAG,
    summary: 'Verify the whole hash chain',
    roles: AUDITOR,
    responses: verification,
    async handle(_input, _req, res, deps) {
      res.json((await verify(deps, res, undefined)) satisfies Shape<typeof AuditVerification>);
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/audit/verify',
    tag: TAG,
    summary: 'Verify the hash chain against a signed checkpoint kept earlier',
    roles: AUDITOR,
    request: { body: VerifyAuditRequest },
    responses: verification,
    async handle({ body }, _req, res, deps) {
      res.json((await verify(deps, res, body.checkpoint)) satisfies Shape<typeof AuditVerification>);
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/audit/checkpoints',
    tag: TAG,
    summary: 'Export a signed checkpoint of the chain head',
    roles: AUDITOR,
    responses: { 201: { description: 'The checkpoint: keep it to detect a rollback later', content: { 'application/json': AuditCheckpoint } } },
    async handle(_input, _req, res, deps) {
      const checkpoint = await createCheckpoint(deps.audit, deps.signer, deps.clock.now());
      await recordSecurityEvent(res, {
        action: 'audit.checkpoint',
        details: { seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at, keyId: checkpoint.keyId },
        kind: 'once',
      });
      res.status(201).json(checkpoint satisfies Shape<typeof AuditCheckpoint>);
    },
  }),
];

export function auditRoutes(deps: AuditRouteDependencies) {
  return mountRoutes(AUDIT_ROUTES, deps);
}
