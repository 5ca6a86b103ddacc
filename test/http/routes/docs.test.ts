import { dirname } from 'node:path';
import request from 'supertest';
import { z } from 'zod';
import { createApp } from '../../../src/http/app.js';
import { docsRoutes } from '../../../src/http/routes/docs.js';
import { IssueLicenseRequest } from '../../../src/http/schemas/licenses.js';
import { capturedLogger } from '../../support/log-capture.js';

const app = createApp({
  logger: capturedLogger().logger,
  lifecycle: { shuttingDown: false },
  jsonLimitBytes: 1024,
  health: { pingStore: async () => {}, storeKind: 'test' },
  routers: [docsRoutes({ publicUrl: 'https://zzk.example.gov.cn', swaggerUiDir: dirname(require.resolve('swagger-ui-dist/package.json')) })],
});

describe('API documentation', () => {
  test('/api/openapi.json is an OpenAPI 3.1 document whose request bodies are the schemas requests are parsed with', async () => {
    const { body } = await request(app).get('/api/openapi.json').expect(200);
    expect(body.openapi).toBe('3.1.0');
    expect(body.servers).toEqual([{ url: 'https://zzk.example.gov.cn' }]);
    const issue = body.paths['/api/v1/licenses'].post;
    const { $schema: _ignored, ...expected } = z.toJSONSchema(IssueLicenseRequest, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    expect(issue.requestBody.content['application/json'].schema).toEqual(expected);
    expect(issue.security).toEqual([{ bearer: [] }, { staffSession: [] }]);
    expect(body.paths['/api/v1/license-types'].get.security).toBeUndefined();
    for (const [path, operations] of Object.entries(body.paths as Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>)) {
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const operation of Object.values(operations)) {
        expect(
          (operation.parameters ?? [])
            .filter((p) => p.in === 'path')
            .map((p) => p.name)
            .sort(),
        ).toEqual(templated.sort());
      }
    }
    const lookUp = body.paths['/api/v1/holders/{holderId}/licenses'].get.parameters;
    expect(lookUp).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'purpose', in: 'query', required: true })]));
  });

  test('/docs serves the interactive reference with its scripts from this server only', async () => {
    const page = await request(app).get('/docs').expect(200);
    expect(page.text).toContain('/docs/assets/swagger-ui-bundle.js');
    expect(page.text).not.toMatch(/<script>(?!<\/script>)/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    await request(app)
      .get('/docs/assets/swagger-ui-bundle.js')
      .expect(200)
      .expect('content-type', /javascript/);
    await request(app).get('/docs/init.js').expect(200);
    await request(app).get('/docs/assets/../package.json').expect(404);
  });
});
