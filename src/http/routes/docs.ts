import { join } from 'node:path';
import { z } from 'zod';
import { openApiDocument } from '../openapi.js';
import { mountRoutes, routeOf, type RouteDefinition } from './route.js';
import { SERVICE_ROUTES } from './table.js';

const ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js'] as const;

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>License Vault API · 电子证照库接口文档</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

// An external script, not an inline one, so the default Content-Security-Policy can stay as it is.
const INIT = "window.addEventListener('load', function () { window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui' }); });\n";

interface DocsContext {
  readonly document: Record<string, unknown>;
  readonly swaggerUiDir: string;
}

const route = routeOf<DocsContext>();
const TAG = 'Documentation';
const OpenApiDocument = z.looseObject({ openapi: z.literal('3.1.0'), paths: z.record(z.string(), z.unknown()) }).describe('OpenAPI 3.1 document');

/** `/api/openapi.json` (OpenAPI 3.1, generated from the route table) and `/docs`, an interactive reference (Swagger UI). */
export const DOCS_ROUTES: readonly RouteDefinition<DocsContext>[] = [
  route({
    method: 'get',
    path: '/api/openapi.json',
    tag: TAG,
    summary: 'This document',
    roles: 'anyone',
    responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': OpenApiDocument } } },
    handle(_input, _req, res, deps) {
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.json(deps.document);
    },
  }),
  route({
    method: 'get',
    path: '/docs',
    tag: TAG,
    summary: 'The interactive API reference',
    roles: 'anyone',
    responses: { 200: { description: 'HTML page', content: { 'text/html': 'text' } } },
    handle(_input, _req, res) {
      res.type('html').send(PAGE);
    },
  }),
  route({
    method: 'get',
    path: '/docs/init.js',
    tag: TAG,
    summary: "The reference page's start-up script",
    roles: 'anyone',
    responses: { 200: { description: 'JavaScript', content: { 'application/javascript': 'text' } } },
    handle(_input, _req, res) {
      res.type('application/javascript').send(INIT);
    },
  }),
  ...ASSETS.map((asset) =>
    route({
      method: 'get',
      path: `/docs/assets/${asset}`,
      tag: TAG,
      summary: `Swagger UI: ${asset}`,
      roles: 'anyone',
      responses: { 200: { description: 'Static asset', content: { [asset.endsWith('.css') ? 'text/css' : 'application/javascript']: 'text' } } },
      handle(_input, _req, res, deps) {
        res.setHeader('Cache-Control', 'public, max-age=86400');
        res.sendFile(join(deps.swaggerUiDir, asset));
      },
    }),
  ),
];

/** Every route of the vault, its documentation included: what the OpenAPI document lists. */
export const ALL_ROUTES = [...SERVICE_ROUTES, ...DOCS_ROUTES];

export function docsRoutes(options: { readonly publicUrl: string; readonly swaggerUiDir: string }) {
  return mountRoutes(DOCS_ROUTES, { document: openApiDocument(options.publicUrl, ALL_ROUTES), swaggerUiDir: options.swaggerUiDir });
}
