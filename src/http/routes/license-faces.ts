import type { RequestHandler } from 'express';
import type { StaffLicenseFaces } from '../../modules/usage/index.js';
import { principalOf } from '../middleware/authenticate.js';
import { IdentifierParams, PurposeQuery } from '../schemas/licenses.js';
import { routeOf, type RouteDefinition } from './route.js';

export interface LicenseFaceRouteContext {
  readonly faces: StaffLicenseFaces;
  /** The per-account window shared with holder look-ups, license reads and copies. */
  readonly lookupLimit: RequestHandler;
}

/** `GET /api/v1/licenses/{identifier}/face`: what the clerk's desk shows of each license in the dossier. */
export const LICENSE_FACE_ROUTES: readonly RouteDefinition<LicenseFaceRouteContext>[] = [
  routeOf<LicenseFaceRouteContext>()({
    method: 'get',
    path: '/api/v1/licenses/:identifier/face',
    tag: 'Licenses',
    summary: 'The face of one license, as an image',
    description:
      'The first page of the signed PDF, drawn as PNG. Read exactly as `GET /api/v1/licenses/{identifier}`: the same access rules (under VAULT_LOOKUP_POLICY=consent only licenses a redemption of the clerk’s covers, else 403 ERR_LOOKUP_NEEDS_CONSENT), audited as `license.read` with the purpose and service item given, counted in the same per-account limit.',
    roles: ['clerk', 'issuer'],
    rolesNote: 'issuers see and change only their own department’s licenses',
    request: { params: IdentifierParams, query: PurposeQuery },
    responses: { 200: { description: 'The face', content: { 'image/png': 'binary' } } },
    before: (deps) => [deps.lookupLimit],
    async handle({ params, query }, _req, res, deps) {
      const png = await deps.faces.face(principalOf(res), params.identifier, query.purpose, query.serviceItem);
      // Personal data: kept by no cache, the browser's included.
      res.setHeader('Cache-Control', 'no-store');
      res.type('image/png').send(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
    },
  }),
];
