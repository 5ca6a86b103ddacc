import type { TrustList } from '../../modules/verification/index.js';
import { TrustedRoots } from '../schemas/trust.js';
import { mountRoutes, routeOf, type RouteDefinition } from './route.js';

/** `GET /api/v1/trust`: the trusted root certificates, so any office can verify licenses offline. */
export const TRUST_ROUTES: readonly RouteDefinition<TrustList>[] = [
  routeOf<TrustList>()({
    method: 'get',
    path: '/api/v1/trust',
    tag: 'Verification',
    summary: 'Trusted root certificates',
    description: 'A PEM bundle by default; JSON with Accept: application/json.',
    roles: 'anyone',
    responses: { 200: { description: 'The roots signatures must chain to', content: { 'application/x-pem-file': 'text', 'application/json': TrustedRoots } } },
    handle(_input, req, res, trust) {
      const roots = trust.roots();
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.vary('Accept');
      if (req.accepts(['application/x-pem-file', 'application/json']) === 'application/json') {
        res.json({
          roots: roots.map(({ pem, summary }) => ({
            subject: summary.subject,
            issuer: summary.issuer,
            serialNumber: summary.serialNumber,
            fingerprint256: summary.fingerprint256,
            notBefore: summary.notBefore,
            notAfter: summary.notAfter,
            pem,
          })),
        } satisfies TrustedRoots);
        return;
      }
      res.type('application/x-pem-file').send(roots.map(({ pem }) => pem.trimEnd()).join('\n') + (roots.length > 0 ? '\n' : ''));
    },
  }),
];

export function trustRoutes(trust: TrustList) {
  return mountRoutes(TRUST_ROUTES, trust);
}
