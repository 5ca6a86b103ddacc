import { frontPage, type FrontPageLink } from '../pages/front-page.js';
import { mountRoutes, routeOf, type RouteDefinition } from './route.js';

/** The consoles the front page links to, once they exist. */
export interface FrontPageOptions {
  readonly consoles?: readonly FrontPageLink[];
}

/** `GET /`: the front page a browser shows at the vault's address (pages/front-page.ts). */
export const FRONT_PAGE_ROUTES: readonly RouteDefinition<string>[] = [
  routeOf<string>()({
    method: 'get',
    path: '/',
    tag: 'Pages',
    summary: 'The front page: what this vault is and where to go (for people)',
    roles: 'anyone',
    responses: { 200: { description: 'An HTML page, readable without JavaScript', content: { 'text/html': 'text' } } },
    handle(_input, _req, res, page) {
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.type('html').send(page);
    },
  }),
];

export function frontPageRoutes(options: FrontPageOptions = {}) {
  return mountRoutes(FRONT_PAGE_ROUTES, frontPage(options.consoles ?? []));
}
