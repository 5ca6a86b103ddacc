import { Router } from 'express';
import { z } from 'zod';
import { createCheckpoint, verifyAuditLog, type AuditLog, type CheckpointSigner } from '../../modules/audit/index.js';
import type { Clock } from '../../shared/clock.js';
import { requireRole } from '../middleware/authenticate.js';
import { parseInput } from '../schemas/parse.js';

const AuditPageQuery = z.object({ after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict();
const Checkpoint = z
  .object({ seq: z.number().int().min(0), hash: z.string().max(64), at: z.string().max(40), keyId: z.string().max(200), signature: z.string().max(400) })
  .strict();
const VerifyRequest = z.object({ checkpoint: Checkpoint.optional() }).strict();

/** The audit log for auditors: pages, whole-chain verification, signed checkpoints. */
export function auditRoutes(deps: { readonly audit: AuditLog; readonly signer: CheckpointSigner; readonly clock: Clock }): Router {
  const router = Router();
  router.get('/api/v1/audit', requireRole('auditor'), async (req, res) => {
    const { after, limit } = parseInput(AuditPageQuery, req.query, 'ERR_QUERY_INVALID');
    const items = await deps.audit.list(after, limit);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items, nextAfter: items.length === limit ? (items.at(-1)?.seq ?? null) : null });
  });
  const verify = async (checkpoint: z.infer<typeof Checkpoint> | undefined) => verifyAuditLog(deps.audit, checkpoint ? { value: checkpoint, signer: deps.signer } : undefined);
  router.get('/api/v1/audit/verify', requireRole('auditor'), async (_req, res) => {
    res.json(await verify(undefined));
  });
  router.post('/api/v1/audit/verify', requireRole('auditor'), async (req, res) => {
    res.json(await verify(parseInput(VerifyRequest, req.body ?? {}).checkpoint));
  });
  router.post('/api/v1/audit/checkpoints', requireRole('auditor'), async (_req, res) => {
    res.status(201).json(await createCheckpoint(deps.audit, deps.signer, deps.clock.now()));
  });
  return router;
}
