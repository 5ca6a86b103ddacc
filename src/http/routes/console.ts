import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Request, Response, Router } from 'express';
import type { FrontPageLink } from '../pages/front-page.js';
import { ConsoleAssetParams } from '../schemas/console.js';
import { mountRoutes, routeOf, type RouteDefinition } from './route.js';

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

interface Asset {
  readonly type: string;
  readonly bytes: Buffer;
  readonly gzipped: Buffer;
}

/** The built console (web/, built by `npm run build` into dist/console), read once: its page and its hashed, immutable assets. */
export interface ConsoleBundle {
  readonly page: string | null;
  readonly assets: ReadonlyMap<string, Asset>;
}

/** Reads dist/console; a vault started without it answers the console's pages with a notice that the console is not built. */
export function loadConsoleBundle(dir: string): ConsoleBundle {
  const assets = new Map<string, Asset>();
  try {
    const page = readFileSync(join(dir, 'index.html'), 'utf8');
    for (const name of readdirSync(join(dir, 'assets'))) {
      const bytes = readFileSync(join(dir, 'assets', name));
      assets.set(name, { type: TYPES[extname(name)] ?? 'application/octet-stream', bytes, gzipped: gzipSync(bytes, { level: 9 }) });
    }
    return { page, assets };
  } catch {
    return { page: null, assets: new Map() };
  }
}

const NOT_BUILT = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>工作台尚未构建</title><p>工作台尚未构建：请运行 <code>npm run build</code> 后重新启动。</p></html>`;

function sendPage(res: Response, bundle: ConsoleBundle): void {
  res.setHeader('Cache-Control', 'no-cache');
  res
    .status(bundle.page ? 200 : 503)
    .type('html')
    .send(bundle.page ?? NOT_BUILT);
}

function sendAsset(req: Request, res: Response, asset: Asset | undefined): void {
  if (!asset) {
    res.status(404).type('text').send('not found');
    return;
  }
  res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
  res.setHeader('Vary', 'Accept-Encoding');
  res.type(asset.type);
  if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
    res.setHeader('Content-Encoding', 'gzip');
    res.send(asset.gzipped);
  } else {
    res.send(asset.bytes);
  }
}

/** The front page's link to the console. */
export const CONSOLE_LINK: FrontPageLink = {
  href: '/console',
  zh: '工作台',
  en: 'Staff console',
  about: { zh: '窗口工作人员调取证照、签发部门签发和管理证照。', en: 'For staff: window clerks look licenses up; issuing departments issue and manage them.' },
};

const route = routeOf<ConsoleBundle>();
const TAG = 'Staff console';
const page = { 200: { description: 'The console (a single-page application; scripts from /console/assets only)', content: { 'text/html': 'text' as const } } };

/** The staff console at /console: one page for every desk's path, and the page's scripts and styles. */
export const CONSOLE_ROUTES: readonly RouteDefinition<ConsoleBundle>[] = [
  route({
    method: 'get',
    path: '/console',
    tag: TAG,
    summary: 'The staff console (工作台): sign-in, the clerk’s and the issuer’s desks',
    roles: 'anyone',
    responses: page,
    handle: (_input, _req, res, bundle) => sendPage(res, bundle),
  }),
  route({
    method: 'get',
    path: '/console/assets/:name',
    tag: TAG,
    summary: 'A script or style of the console (content-hashed, cached for a year, gzipped when asked)',
    roles: 'anyone',
    request: { params: ConsoleAssetParams },
    responses: { 200: { description: 'The file', content: { 'text/javascript': 'text', 'text/css': 'text' } } },
    handle: ({ params }, req, res, bundle) => sendAsset(req, res, bundle.assets.get(params.name)),
  }),
  route({
    method: 'get',
    path: '/console/:page',
    tag: TAG,
    summary: 'A page of the console (the same document; the console draws the page)',
    roles: 'anyone',
    responses: page,
    handle: (_input, _req, res, bundle) => sendPage(res, bundle),
  }),
  route({
    method: 'get',
    path: '/console/:desk/:page',
    tag: TAG,
    summary: 'A page of a desk (the same document; the console draws the page)',
    roles: 'anyone',
    responses: page,
    handle: (_input, _req, res, bundle) => sendPage(res, bundle),
  }),
];

export function consoleRoutes(bundle: ConsoleBundle): Router {
  return mountRoutes(CONSOLE_ROUTES, bundle);
}
