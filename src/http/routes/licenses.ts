import { Router, type RequestHandler } from 'express';
import type { AnnotatedCopies } from '../../modules/copies/index.js';
import { buildLicenseIdentifier } from '../../modules/identity/index.js';
import {
  BATCH_MAX_ITEMS,
  effectiveStatus,
  type LicenseIssuance,
  type LicenseLifecycle,
  type LicensePreview,
  type LicenseQueries,
  type LicenseRecord,
} from '../../modules/licenses/index.js';
import type { TemplateCatalog } from '../../modules/templates/index.js';
import type { StaffLicenseFaces } from '../../modules/usage/index.js';
import type { Clock } from '../../shared/clock.js';
import { isVaultError } from '../../shared/errors.js';
import { principalOf } from '../middleware/authenticate.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { problem } from '../problem.js';
import { Catalogue } from '../schemas/catalogue.js';
import { CopyRequest } from '../schemas/copies.js';
import {
  BatchIssueRequest,
  BatchIssueResult,
  HolderLookupQuery,
  HolderParams,
  IdempotencyKeyHeader,
  IdentifierParams,
  IssueLicenseRequest,
  License,
  LicensePage,
  OptionalReasonRequest,
  PurposeQuery,
  ReasonRequest,
  ReissueRequest,
} from '../schemas/licenses.js';
import { parseInput } from '../schemas/parse.js';
import { licensePreviewRoutes } from './license-preview.js';
import { LICENSE_FACE_ROUTES } from './license-faces.js';
import { mountRoutes, routeOf, type RouteDefinition } from './route.js';

export interface LicenseRouteDependencies {
  readonly issuance: LicenseIssuance;
  readonly queries: LicenseQueries;
  readonly lifecycle: LicenseLifecycle;
  /** Annotated copies (加注件): what clerks take instead of the original. */
  readonly copies: AnnotatedCopies;
  /** Faces of licenses for the clerk's desk, read as a license is. */
  readonly faces: StaffLicenseFaces;
  readonly templates: TemplateCatalog;
  readonly clock: Clock;
  readonly publicUrl: string;
  /** Holder look-ups, license reads, PDF downloads, annotated copies and previews allowed per account per minute, together. */
  readonly lookupsPerMinute: number;
  /** Faces before issuing (样张); without it, POST /api/v1/licenses/preview is not served. */
  readonly preview?: LicensePreview | undefined;
}

interface LicenseRouteContext extends LicenseRouteDependencies {
  readonly lookupLimit: RequestHandler;
}

/** How routes show a license to the department that issued it or a clerk: every field, links, the status now. */
export function licenseJson(license: LicenseRecord, deps: Pick<LicenseRouteDependencies, 'publicUrl' | 'templates' | 'clock'>): License {
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
    issuer: { creditCode: license.issuer.creditCode, name: license.issuer.name },
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

const route = routeOf<LicenseRouteContext>();
const TAG = 'Licenses';
const READERS = ['clerk', 'issuer'] as const;
const OWN_DEPARTMENT = 'issuers see and change only their own department’s licenses';
const license = (description: string) => ({ description, content: { 'application/json': License } });

const lifecycleRoutes = (['revoke', 'suspend'] as const).map((action) =>
  route({
    method: 'post',
    path: `/api/v1/licenses/:identifier/${action}`,
    tag: TAG,
    summary: action === 'revoke' ? 'Revoke (final)' : 'Suspend',
    roles: ['issuer'],
    rolesNote: OWN_DEPARTMENT,
    request: { params: IdentifierParams, body: ReasonRequest },
    responses: { 200: license('The license, changed') },
    async handle({ params, body }, _req, res, deps) {
      res.json(licenseJson(await deps.lifecycle.change(principalOf(res), params.identifier, action, body.reason), deps));
    },
  }),
);

/** Issuance, look-up, download and lifecycle. Roles: issuers issue and change their own; clerks read. */
export const LICENSE_ROUTES: readonly RouteDefinition<LicenseRouteContext>[] = [
  route({
    method: 'post',
    path: '/api/v1/licenses',
    tag: TAG,
    summary: 'Issue a license',
    roles: ['issuer'],
    rolesNote: 'license types its department may issue',
    request: { body: IssueLicenseRequest, headers: { 'Idempotency-Key': IdempotencyKeyHeader } },
    responses: {
      201: {
        ...license('The issued license (or, for a repeated Idempotency-Key, the one issued before)'),
        headers: { Location: 'The license', 'Idempotency-Replayed': 'true when an earlier request with the same key issued it' },
      },
    },
    async handle({ body }, req, res, deps) {
      const { license, replayed } = await deps.issuance.issue(principalOf(res), body, req.get('idempotency-key'));
      if (replayed) res.setHeader('Idempotency-Replayed', 'true');
      res.status(201).location(`/api/v1/licenses/${license.identifier}`).json(licenseJson(license, deps));
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/licenses/batch',
    tag: TAG,
    summary: `Issue up to ${BATCH_MAX_ITEMS} licenses`,
    description: 'Each item is checked and issued on its own: one result per item, in order, with the license or the problem.',
    roles: ['issuer'],
    request: { body: BatchIssueRequest },
    responses: { 200: { description: 'One result per item', content: { 'application/json': BatchIssueResult } } },
    async handle({ body }, _req, res, deps) {
      const principal = principalOf(res);
      const results: BatchIssueResult['results'] = [];
      // One at a time: serial allocation and the store serialise anyway, and a batch must not starve other callers.
      for (const [index, item] of body.items.entries()) {
        try {
          const { license } = await deps.issuance.issue(principal, parseInput(IssueLicenseRequest, item));
          results.push({ index, ok: true, license: licenseJson(license, deps) });
        } catch (error) {
          if (!isVaultError(error)) throw error;
          results.push({ index, ok: false, error: problem(error.code, error.message, res.locals.requestId, error.details) });
        }
      }
      const issued = results.filter((r) => r.ok).length;
      res.status(200).json({ issued, failed: results.length - issued, results } satisfies BatchIssueResult);
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/holders/:holderId/licenses',
    tag: TAG,
    summary: "A holder's licenses (一号申请)",
    description:
      'Audited with the purpose and service item given; rate-limited per account. Under VAULT_LOOKUP_POLICY=consent a clerk may not look holders up by number (403 ERR_LOOKUP_NEEDS_CONSENT): redeem the holder’s 用证码 instead.',
    roles: READERS,
    rolesNote: OWN_DEPARTMENT,
    request: { params: HolderParams, query: HolderLookupQuery },
    responses: { 200: { description: 'A page of licenses', content: { 'application/json': LicensePage } } },
    before: (deps) => [deps.lookupLimit],
    async handle({ params, query }, _req, res, deps) {
      const page = await deps.queries.lookUpHolder(principalOf(res), {
        holderId: params.holderId,
        purpose: query.purpose,
        serviceItem: query.serviceItem,
        limit: query.limit,
        holderType: query.holderType,
        licenseType: query.type,
        status: query.status,
        cursor: query.cursor,
      });
      res.json({ items: page.items.map((item) => licenseJson(item, deps)), nextCursor: page.nextCursor } satisfies LicensePage);
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/licenses/:identifier',
    tag: TAG,
    summary: 'One license',
    description:
      'Audited with the purpose and service item given; counted in the same per-account limit as holder look-ups. Under VAULT_LOOKUP_POLICY=consent a clerk reads only licenses covered by a live authorization they redeemed (else 403 ERR_LOOKUP_NEEDS_CONSENT, whether or not the license exists).',
    roles: READERS,
    rolesNote: OWN_DEPARTMENT,
    request: { params: IdentifierParams, query: PurposeQuery },
    responses: { 200: license('The license') },
    before: (deps) => [deps.lookupLimit],
    async handle({ params, query }, _req, res, deps) {
      res.json(licenseJson(await deps.queries.read(principalOf(res), params.identifier, query.purpose, query.serviceItem), deps));
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/licenses/:identifier/pdf',
    tag: TAG,
    summary: 'The signed original, byte for byte (issuing department only)',
    description:
      'Audited with the purpose and service item given; counted in the same per-account limit as holder look-ups. Clerks take an annotated copy (`POST /api/v1/licenses/{identifier}/copies`), never the original; the holder downloads the original from their own pages.',
    roles: ['issuer'],
    rolesNote: OWN_DEPARTMENT,
    request: { params: IdentifierParams, query: PurposeQuery },
    responses: { 200: { description: 'The signed PDF', content: { 'application/pdf': 'binary' }, headers: { Digest: 'sha-256 of the file (RFC 3230)' } } },
    before: (deps) => [deps.lookupLimit],
    async handle({ params, query }, _req, res, deps) {
      const file = await deps.queries.download(principalOf(res), params.identifier, query.purpose, query.serviceItem);
      res.setHeader('Content-Disposition', `attachment; filename="${file.identifier}.pdf"`);
      res.setHeader('Digest', `sha-256=${Buffer.from(file.sha256, 'hex').toString('base64')}`);
      res.type('application/pdf').send(Buffer.from(file.bytes));
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/licenses/:identifier/copies',
    tag: TAG,
    summary: 'An annotated copy (加注件) for the office',
    description:
      'The license’s page with a band saying the holder provided it to this office, only for this service item, until this day (此件由持证人提供给××，仅供办理××使用，有效期至××), its own number and QR link; signed by the vault platform’s certificate, carrying the original’s identifier and SHA-256. Verifies as `authentic-copy` until it expires. Only of a license in force. Recorded and audited (`copy.make`); counted in the same per-account limit as holder look-ups.',
    roles: READERS,
    rolesNote: 'clerks for any license (the office is the clerk’s department); issuers for their own department’s',
    request: { params: IdentifierParams, body: CopyRequest },
    responses: {
      201: {
        description: 'The annotated copy',
        content: { 'application/pdf': 'binary' },
        headers: { 'X-Copy-Id': 'The copy’s id (JZ…)', Digest: 'sha-256 of the file (RFC 3230)' },
      },
    },
    before: (deps) => [deps.lookupLimit],
    async handle({ params, body }, _req, res, deps) {
      const made = await deps.copies.makeForStaff(principalOf(res), params.identifier, body);
      res.setHeader('Content-Disposition', `attachment; filename="${made.copyId}.pdf"`);
      res.setHeader('X-Copy-Id', made.copyId);
      res.setHeader('Digest', `sha-256=${Buffer.from(made.record.sha256, 'hex').toString('base64')}`);
      res
        .status(201)
        .type('application/pdf')
        .send(Buffer.from(made.pdf.buffer, made.pdf.byteOffset, made.pdf.byteLength));
    },
  }),
  ...lifecycleRoutes,
  route({
    method: 'post',
    path: '/api/v1/licenses/:identifier/reinstate',
    tag: TAG,
    summary: 'Reinstate a suspended license',
    roles: ['issuer'],
    rolesNote: OWN_DEPARTMENT,
    request: { params: IdentifierParams, body: OptionalReasonRequest },
    responses: { 200: license('The license, active again') },
    async handle({ params, body }, _req, res, deps) {
      res.json(licenseJson(await deps.lifecycle.change(principalOf(res), params.identifier, 'reinstate', body.reason), deps));
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/licenses/:identifier/reissue',
    tag: TAG,
    summary: 'Reissue as version n+1',
    roles: ['issuer'],
    rolesNote: OWN_DEPARTMENT,
    request: { params: IdentifierParams, body: ReissueRequest },
    responses: { 201: { ...license('The new version'), headers: { Location: 'The new version' } } },
    async handle({ params, body }, _req, res, deps) {
      const license = await deps.issuance.reissue(principalOf(res), params.identifier, body);
      res.status(201).location(`/api/v1/licenses/${license.identifier}`).json(licenseJson(license, deps));
    },
  }),
];

/** Issuance, look-up, download, faces and lifecycle, mounted with their dependencies. */
export function licenseRoutes(deps: LicenseRouteDependencies) {
  // One window per account for every read of personal data: look-ups, reads and downloads count together.
  const lookupLimit = rateLimit({ limit: deps.lookupsPerMinute, windowMs: 60_000, clock: deps.clock, key: (_req, res) => principalOf(res).clientId });
  const router = Router().use(mountRoutes(LICENSE_ROUTES, { ...deps, lookupLimit }), mountRoutes(LICENSE_FACE_ROUTES, { faces: deps.faces, lookupLimit }));
  if (deps.preview) router.use(licensePreviewRoutes({ preview: deps.preview, accountLimit: lookupLimit }));
  return router;
}

/** The catalogue (证照目录) as the API shows it. */
export function catalogueJson(templates: TemplateCatalog): Catalogue {
  return {
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
  };
}

export const CATALOGUE_ROUTES: readonly RouteDefinition<TemplateCatalog>[] = [
  routeOf<TemplateCatalog>()({
    method: 'get',
    path: '/api/v1/license-types',
    tag: 'Catalogue',
    summary: 'The license catalogue (证照目录) with field schemas and examples',
    description: "Each type's example is a valid issuance request as it stands.",
    roles: 'anyone',
    responses: { 200: { description: 'The catalogue', content: { 'application/json': Catalogue } } },
    handle(_input, _req, res, templates) {
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.json(catalogueJson(templates));
    },
  }),
];

/** `GET /api/v1/license-types`: the catalogue. Public. */
export function catalogueRoutes(templates: TemplateCatalog) {
  return mountRoutes(CATALOGUE_ROUTES, templates);
}
