import { Router } from 'express';
import type { TrustList } from '../../modules/verification/index.js';

/**
 * `GET /api/v1/trust`: the trusted root certificates, so any office can
 * verify licenses offline. A PEM bundle by default; JSON on request.
 */
export function trustRoutes(trust: TrustList): Router {
  const router = Router();
  router.get('/api/v1/trust', (req, res) => {
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
      });
      return;
    }
    res.type('application/x-pem-file').send(roots.map(({ pem }) => pem.trimEnd()).join('\n') + (roots.length > 0 ? '\n' : ''));
  });
  return router;
}
