import { join } from 'node:path';
import { Router } from 'express';
import { openApiDocument } from '../openapi.js';

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

/** `/api/openapi.json` (OpenAPI 3.1, from the request schemas) and `/docs`, an interactive reference (Swagger UI). */
export function docsRoutes(options: { readonly publicUrl: string; readonly swaggerUiDir: string }): Router {
  const router = Router();
  const document = openApiDocument(options.publicUrl);
  router.get('/api/openapi.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(document);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  for (const asset of ASSETS) {
    router.get(`/docs/assets/${asset}`, (_req, res) => {
      res.setHeader('Cache-Control', 'public, max-age=86400');
      res.sendFile(join(options.swaggerUiDir, asset));
    });
  }
  return router;
}
