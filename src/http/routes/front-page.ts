import { Router } from 'express';
import { frontPage, type FrontPageLink } from '../pages/front-page.js';

/** `GET /`: the front page a browser shows at the vault's address (pages/front-page.ts). */
export function frontPageRoutes(options: { readonly consoles?: readonly FrontPageLink[] } = {}): Router {
  const router = Router();
  const page = frontPage(options.consoles ?? []);
  router.get('/', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('html').send(page);
  });
  return router;
}
