import type { Response, Router } from 'express';
import { holderActor } from '../../modules/holders/index.js';
import { maskHolderNumber } from '../../modules/identity/index.js';
import type { HeldLicense as HeldLicenseView, HolderLicenses, HolderViewer, UsageRecord } from '../../modules/usage/index.js';
import { holderOf } from '../middleware/holder-session.js';
import type { Shape } from '../schemas/common.js';
import { IdentifierParams } from '../schemas/licenses.js';
import { HeldLicense, HeldLicensePage, HeldLicensesQuery, UsageQuery, UsageRecordPage } from '../schemas/usage.js';
import { mountRoutes, routeOf, type RouteDefinition } from './route.js';

export interface MyLicenseRouteDependencies {
  readonly publicUrl: string;
  readonly licenses: HolderLicenses;
  readonly usage: UsageRecord;
}

const route = routeOf<MyLicenseRouteDependencies>();
const TAG = 'Holders';
const NOT_THEIRS = 'A license that is not the holder’s is answered exactly as one that does not exist (404 ERR_LICENSE_NOT_FOUND), and the attempt is audited.';

function viewerOf(res: Response): HolderViewer {
  const principal = holderOf(res);
  return { holder: principal.holder, actor: holderActor(principal) };
}

function heldJson(license: HeldLicenseView, publicUrl: string): Shape<typeof HeldLicense> {
  const self = `${publicUrl}/api/v1/me/licenses/${license.identifier}`;
  return {
    identifier: license.identifier,
    licenseNumber: license.licenseNumber,
    licenseType: { code: license.typeCode, name: license.typeName },
    status: license.effectiveStatus,
    storedStatus: license.status,
    statusChangedAt: license.statusChangedAt,
    holder: { type: license.holder.type, id: maskHolderNumber({ type: license.holder.type, value: license.holder.number }), name: license.holder.name },
    issuer: { creditCode: license.issuer.creditCode, name: license.issuer.name },
    issuedAt: license.issuedAt,
    validFrom: license.validFrom,
    validUntil: license.validUntil,
    version: license.version,
    links: { self, face: `${self}/face.png`, pdf: `${self}/pdf` },
  };
}

/** 我的证照 and 用证记录: the signed-in holder's licenses, their faces and files, and every use of them. */
export const MY_LICENSE_ROUTES: readonly RouteDefinition<MyLicenseRouteDependencies>[] = [
  route({
    method: 'get',
    path: '/api/v1/me/licenses',
    tag: TAG,
    summary: 'My licenses (我的证照), newest first',
    roles: 'holder',
    request: { query: HeldLicensesQuery },
    responses: { 200: { description: 'A page of the holder’s licenses', content: { 'application/json': HeldLicensePage } } },
    async handle({ query }, _req, res, deps) {
      const page = await deps.licenses.list(viewerOf(res), query);
      res.json({ items: page.items.map((license) => heldJson(license, deps.publicUrl)), nextCursor: page.nextCursor } satisfies Shape<typeof HeldLicensePage>);
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/me/licenses/:identifier',
    tag: TAG,
    summary: 'One of my licenses',
    description: NOT_THEIRS,
    roles: 'holder',
    request: { params: IdentifierParams },
    responses: { 200: { description: 'The license', content: { 'application/json': HeldLicense } } },
    async handle({ params }, _req, res, deps) {
      res.json(heldJson(await deps.licenses.read(viewerOf(res), params.identifier), deps.publicUrl));
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/me/licenses/:identifier/face.png',
    tag: TAG,
    summary: 'The face of one of my licenses, as an image',
    description: `The first page of the signed PDF, drawn as PNG. ${NOT_THEIRS}`,
    roles: 'holder',
    request: { params: IdentifierParams },
    responses: { 200: { description: 'The face', content: { 'image/png': 'binary' } } },
    async handle({ params }, _req, res, deps) {
      const png = await deps.licenses.face(viewerOf(res), params.identifier);
      res.type('image/png').send(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/me/licenses/:identifier/pdf',
    tag: TAG,
    summary: 'Download the original signed PDF of one of my licenses (下载原件)',
    description: NOT_THEIRS,
    roles: 'holder',
    request: { params: IdentifierParams },
    responses: { 200: { description: 'The signed PDF, byte for byte', content: { 'application/pdf': 'binary' }, headers: { Digest: 'sha-256 of the file (RFC 3230)' } } },
    async handle({ params }, _req, res, deps) {
      const file = await deps.licenses.download(viewerOf(res), params.identifier);
      res.setHeader('Content-Disposition', `attachment; filename="${file.identifier}.pdf"`);
      res.setHeader('Digest', `sha-256=${Buffer.from(file.sha256, 'hex').toString('base64')}`);
      res.type('application/pdf').send(Buffer.from(file.bytes));
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/me/usage',
    tag: TAG,
    summary: 'My usage record (用证记录): every use of my licenses, newest first',
    description: 'Read from the audit log. Reading it is not a use of a license and is not audited; the holder’s own views and downloads are left out.',
    roles: 'holder',
    request: { query: UsageQuery },
    responses: { 200: { description: 'A page of the record', content: { 'application/json': UsageRecordPage } } },
    async handle({ query }, _req, res, deps) {
      res.json((await deps.usage.read(holderOf(res).holder, query)) satisfies Shape<typeof UsageRecordPage>);
    },
  }),
];

export function myLicenseRoutes(deps: MyLicenseRouteDependencies): Router {
  return mountRoutes(MY_LICENSE_ROUTES, deps, { publicUrl: deps.publicUrl });
}
