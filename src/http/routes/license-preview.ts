import type { RequestHandler } from 'express';
import type { LicensePreview } from '../../modules/licenses/index.js';
import { principalOf } from '../middleware/authenticate.js';
import { IssueLicenseRequest } from '../schemas/licenses.js';
import { mountRoutes, routeOf, type RouteDefinition } from './route.js';

export interface LicensePreviewRouteDependencies {
  readonly preview: LicensePreview;
  /** The per-account limit the license reads count in: a preview is drawn on the same worker threads and costs as much. */
  readonly accountLimit: RequestHandler;
}

/** `POST /api/v1/licenses/preview`: the face a request would be issued with, marked 样张. */
export const LICENSE_PREVIEW_ROUTES: readonly RouteDefinition<LicensePreviewRouteDependencies>[] = [
  routeOf<LicensePreviewRouteDependencies>()({
    method: 'post',
    path: '/api/v1/licenses/preview',
    tag: 'Licenses',
    summary: 'Preview the face of a license before issuing it (样张)',
    description:
      'The same body as issuing, checked by the same rules (the same 400 codes); the face drawn by the same renderer, with placeholders for the identifier, license number and QR link and a 样张 · 预览 watermark across it. Nothing is numbered, signed, stored or audited; counted in the same per-account limit as license reads.',
    roles: ['issuer'],
    rolesNote: 'license types its department may issue',
    request: { body: IssueLicenseRequest },
    responses: { 200: { description: 'The face as it would be issued, marked 样张', content: { 'image/png': 'binary' } } },
    before: (deps) => [deps.accountLimit],
    async handle({ body }, _req, res, deps) {
      const png = await deps.preview.preview(principalOf(res), body);
      res.setHeader('Cache-Control', 'no-store');
      res.type('image/png').send(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
    },
  }),
];

/** The preview route, mounted with its dependencies. */
export function licensePreviewRoutes(deps: LicensePreviewRouteDependencies) {
  return mountRoutes(LICENSE_PREVIEW_ROUTES, deps);
}
