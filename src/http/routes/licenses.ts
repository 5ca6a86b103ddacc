import { Router, type Request } from 'express';
import { buildLicenseIdentifier } from '../../modules/identity/index.js';
import { effectiveStatus, type LicenseIssuance, type LicenseLifecycle, type LicenseQueries, type LicenseRecord } from '../../modules/licenses/index.js';
import type { TemplateCatalog } from '../../modules/templates/index.js';
import type { Clock } from '../../shared/clock.js';
import { isVaultError, RequestError } from '../../shared/errors.js';
import { principalOf, requireRole } from '../middleware/authenticate.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { problem } from '../problem.js';
import { BatchIssueRequest, HolderLookupQuery, IssueLicenseRequest, OptionalReasonRequest, PurposeQuery, ReasonRequest, ReissueRequest } from '../schemas/licenses.js';
import { parseInput } from '../schemas/parse.js';

export interface LicenseRouteDependencies {
  readonly issuance: LicenseIssuance;
  readonly queries: LicenseQueries;
  readonly lifecycle: LicenseLifecycle;
  readonly templates: TemplateCatalog;
  readonly clock: Clock;
  readonly publicUrl: string;
  /** Holder look-ups allowed per account per minute. */
  readonly lookupsPerMinute: number;
}

function identifierParam(req: Request): string {
  const identifier = req.params.identifier;
  if (typeof identifier !== 'string' || identifier.length > 200) throw new RequestError('ERR_REQUEST_INVALID', 'identifier is invalid');
  return identifier;
}

/** How routes show a license to the department that issued it or a clerk: every field, links, the status now. */
export function licenseJson(license: LicenseRecord, deps: Pick<LicenseRouteDependencies, 'publicUrl' | 'templates' | 'clock'>) {
  const self = `${deps.publicUrl}/api/v1/licenses/${license.identifier}`;
  const successor =
    license.status === 'superseded'
      ? buildLicenseIdentifier({ typeCode: license.typeCode, issuerCreditCode: license.issuer.creditCode, serial: license.serial, version: license.version + 1 })
      : null;
  return {
    identifier: license.identifier,
    licenseNumber: license.licenseNumber,
    licenseType: { code: license.typeCode, name: deps.templates.nameOf(license.typeCode) },
    status: effectiveStatus(license, deps.clock.now()),
    storedStatus: license.status,
    statusReason: license.statusReason,
    statusChangedAt: license.statusChangedAt,
    holder: { type: license.holder.type, id: license.holder.number, name: license.holder.name },
    issuer: license.issuer,
    issuedAt: license.issuedAt,
    validFrom: license.validFrom,
    validUntil: license.validUntil,
    fields: license.fields,
    version: license.version,
    supersedes: license.supersedes,
    supersededBy: successor,
    templateVersion: license.templateVersion,
    sha256: license.sha256,
    links: { self, pdf: `${self}/pdf`, verify: `${deps.publicUrl}/v/${license.identifier}?c=${license.verificationCode}` },
  };
}

/** Issuance, look-up, download and lifecycle. Roles: issuers issue and change their own; clerks read. */
export function licenseRoutes(deps: LicenseRouteDependencies): Router {
  const router = Router();
  const show = (license: LicenseRecord) => licenseJson(license, deps);

  router.post('/api/v1/licenses', requireRole('issuer'), async (req, res) => {
    const body = parseInput(IssueLicenseRequest, req.body);
    const key = req.get('idempotency-key');
    const { license, replayed } = await deps.issuance.issue(principalOf(res), body, key);
    if (replayed) res.setHeader('Idempotency-Replayed', 'true');
    res.status(201).location(`/api/v1/licenses/${license.identifier}`).json(show(license));
  });

  router.post('/api/v1/licenses/batch', requireRole('issuer'), async (req, res) => {
    const { items } = parseInput(BatchIssueRequest, req.body);
    const principal = principalOf(res);
    const results = [];
    // One at a time: serial allocation and the store serialise anyway, and a batch must not starve other callers.
    for (const [index, item] of items.entries()) {
      try {
        const { license } = await deps.issuance.issue(principal, parseInput(IssueLicenseRequest, item));
        results.push({ index, ok: true, license: show(license) });
      } catch (error) {
        if (!isVaultError(error)) throw error;
        results.push({ index, ok: false, error: problem(error.code, error.message, res.locals.requestId, error.details) });
      }
    }
    res.status(200).json({ issued: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length, results });
  });

  const lookupLimit = rateLimit({ limit: deps.lookupsPerMinute, windowMs: 60_000, clock: deps.clock, key: (_req, res) => principalOf(res).clientId });
  router.get('/api/v1/holders/:holderId/licenses', requireRole('clerk', 'issuer'), lookupLimit, async (req, res) => {
    const query = parseInput(HolderLookupQuery, req.query, 'ERR_QUERY_INVALID');
    const page = await deps.queries.lookUpHolder(principalOf(res), {
      holderId: req.params.holderId,
      purpose: query.purpose,
      limit: query.limit,
      ...(query.holderType ? { holderType: query.holderType } : {}),
      ...(query.type ? { licenseType: query.type } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items: page.items.map(show), nextCursor: page.nextCursor });
  });

  router.get('/api/v1/licenses/:identifier', requireRole('clerk', 'issuer'), async (req, res) => {
    const { purpose } = parseInput(PurposeQuery, req.query, 'ERR_QUERY_INVALID');
    res.setHeader('Cache-Control', 'no-store');
    res.json(show(await deps.queries.read(principalOf(res), identifierParam(req), purpose)));
  });

  router.get('/api/v1/licenses/:identifier/pdf', requireRole('clerk', 'issuer'), async (req, res) => {
    const { purpose } = parseInput(PurposeQuery, req.query, 'ERR_QUERY_INVALID');
    const file = await deps.queries.download(principalOf(res), identifierParam(req), purpose);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', `attachment; filename="${file.identifier}.pdf"`);
    res.setHeader('Digest', `sha-256=${Buffer.from(file.sha256, 'hex').toString('base64')}`);
    res.type('application/pdf').send(Buffer.from(file.bytes));
  });

  for (const action of ['revoke', 'suspend'] as const) {
    router.post(`/api/v1/licenses/:identifier/${action}`, requireRole('issuer'), async (req, res) => {
      const { reason } = parseInput(ReasonRequest, req.body ?? {});
      res.json(show(await deps.lifecycle.change(principalOf(res), identifierParam(req), action, reason)));
    });
  }
  router.post('/api/v1/licenses/:identifier/reinstate', requireRole('issuer'), async (req, res) => {
    const { reason } = parseInput(OptionalReasonRequest, req.body ?? {});
    res.json(show(await deps.lifecycle.change(principalOf(res), identifierParam(req), 'reinstate', reason)));
  });
  router.post('/api/v1/licenses/:identifier/reissue', requireRole('issuer'), async (req, res) => {
    const body = parseInput(ReissueRequest, req.body ?? {});
    const license = await deps.issuance.reissue(principalOf(res), identifierParam(req), body);
    res.status(201).location(`/api/v1/licenses/${license.identifier}`).json(show(license));
  });

  return router;
}

/** `GET /api/v1/license-types`: the catalogue, with each type's field schema and an example that is a valid issuance request as it stands. Public. */
export function catalogueRoutes(templates: TemplateCatalog): Router {
  const router = Router();
  router.get('/api/v1/license-types', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json({
      items: templates.latest().map((template) => ({
        code: template.catalogue.typeCode,
        name: template.catalogue.name,
        holderType: template.catalogue.holderType,
        definingAuthority: template.catalogue.definingAuthority,
        issuingLevel: template.catalogue.issuingLevel,
        validity: template.catalogue.validity,
        templateVersion: template.version,
        fields: template.fields,
        example: {
          licenseType: template.catalogue.typeCode,
          holder: { type: template.catalogue.holderType, ...template.example.holder },
          fields: template.example.fields,
          ...(template.example.validUntil ? { validUntil: template.example.validUntil } : {}),
        },
      })),
    });
  });
  return router;
}
