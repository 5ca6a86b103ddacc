import { z } from 'zod';
import { HOLDER_SESSION_COOKIE } from './middleware/holder-session.js';
import { staffSessionCookieName } from './middleware/staff-session.js';
import type { DocumentedRoute, RawBody, ResponseSpec } from './routes/route.js';
import { apiComponents } from './schemas/common.js';
import { Problem } from './schemas/problem.js';

type JsonSchema = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';

function withoutDialect(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}

/** Request schemas as JSON Schema (draft 2020-12, what OpenAPI 3.1 uses), from the very zod schemas requests are parsed with. */
export function requestSchema(type: z.ZodType): JsonSchema {
  return withoutDialect(z.toJSONSchema(type, { io: 'input', unrepresentable: 'any' }));
}

/** A response body: a reference to its named component, or the schema itself when it has no name. */
function responseSchema(body: z.ZodType | RawBody): JsonSchema {
  if (body === 'text') return { type: 'string' };
  if (body === 'binary') return { type: 'string', contentMediaType: 'application/octet-stream' };
  const id = apiComponents.get(body)?.id;
  return id ? { $ref: `${COMPONENTS}${id}` } : withoutDialect(z.toJSONSchema(body, { io: 'output', unrepresentable: 'any' }));
}

function componentSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(apiComponents, { io: 'output', unrepresentable: 'any', uri: (id) => `${COMPONENTS}${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, withoutDialect(schema as JsonSchema)]));
}

/** `/v/:identifier` → `/v/{identifier}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

function parameters(route: DocumentedRoute): JsonSchema[] {
  const fromObject = (type: z.ZodType, where: 'path' | 'query'): JsonSchema[] => {
    const json = requestSchema(type) as { properties?: Record<string, JsonSchema>; required?: string[] };
    return Object.entries(json.properties ?? {}).map(([name, schema]) => {
      const { description, ...rest } = schema;
      return { name, in: where, required: where === 'path' || (json.required?.includes(name) ?? false), ...(description ? { description } : {}), schema: rest };
    });
  };
  const request = route.request;
  const declared = request?.params ? fromObject(request.params, 'path') : [];
  const undeclared = [...route.path.matchAll(/:(\w+)/g)]
    .map((match) => match[1] ?? '')
    .filter((name) => !declared.some((p) => p.name === name))
    .map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  const headers = Object.entries(request?.headers ?? {}).map(([name, type]) => {
    const { description, ...schema } = requestSchema(type);
    return { name, in: 'header', required: false, ...(description ? { description } : {}), schema };
  });
  return [...declared, ...undeclared, ...(request?.query ? fromObject(request.query, 'query') : []), ...headers];
}

function requestBody(route: DocumentedRoute): JsonSchema | undefined {
  const { body, upload } = route.request ?? {};
  if (body) return { required: true, content: { 'application/json': { schema: requestSchema(body) } } };
  if (upload) {
    const file = { type: 'string', contentMediaType: upload.mediaType, description: upload.description };
    return { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: [upload.field], properties: { [upload.field]: file } } } } };
  }
  return undefined;
}

function response(spec: ResponseSpec): JsonSchema {
  return {
    description: spec.description,
    ...(spec.headers ? { headers: Object.fromEntries(Object.entries(spec.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) } : {}),
    content: Object.fromEntries(Object.entries(spec.content).map(([mediaType, body]) => [mediaType, { schema: responseSchema(body) }])),
  };
}

const problem = { description: 'RFC 9457 problem details with a stable `code`', content: { 'application/problem+json': { schema: responseSchema(Problem) } } };

function rolesText(route: DocumentedRoute): string {
  const who =
    route.roles === 'anyone'
      ? 'anyone, no token'
      : route.roles === 'holder'
        ? "the signed-in holder (session cookie; changes need the vault's own Origin)"
        : `${route.roles.join(', ')} (a bearer token, or a console session cookie whose changes need the vault's own Origin)`;
  return `Roles: ${who}${route.rolesNote ? ` (${route.rolesNote})` : ''}.`;
}

function operation(route: DocumentedRoute): JsonSchema {
  const params = parameters(route);
  const body = requestBody(route);
  return {
    tags: [route.tag],
    summary: route.summary,
    description: [rolesText(route), route.description].filter(Boolean).join('\n\n'),
    ...(route.roles === 'anyone' ? {} : { security: route.roles === 'holder' ? [{ holderSession: [] }] : [{ bearer: [] }, { staffSession: [] }] }),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: { ...Object.fromEntries(Object.entries(route.responses).map(([status, spec]) => [status, response(spec)])), '4XX': problem, '5XX': problem },
  };
}

/** The OpenAPI 3.1 document of `routes`, served at /api/openapi.json: the same definitions the routers are mounted from. */
export function openApiDocument(serverUrl: string, routes: readonly DocumentedRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = (paths[openApiPath(route.path)] ??= {});
    if (path[route.method]) throw new TypeError(`two routes for ${route.method.toUpperCase()} ${route.path}`);
    path[route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'License Vault API · 电子证照库',
      version: '1',
      description: 'Issue, look up, verify and audit electronic licenses. Errors are problem+json with a stable code.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (ES256), from POST /api/v1/auth/token' },
        holderSession: { type: 'apiKey', in: 'cookie', name: HOLDER_SESSION_COOKIE, description: 'Set when a holder signs in at /me/sign-in (OpenID Connect)' },
        staffSession: {
          type: 'apiKey',
          in: 'cookie',
          name: staffSessionCookieName('http:'),
          description: `Set when a member of staff signs in to the console (POST /api/v1/staff/sign-in); named ${staffSessionCookieName('https:')} over https. Changes need the vault's own Origin.`,
        },
      },
      schemas: componentSchemas(),
    },
    paths,
  };
}
