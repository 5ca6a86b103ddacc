import { z } from 'zod';
import { AccountChangesBody, DepartmentChangesBody, NewAccountBody, NewDepartmentBody } from './routes/admin.js';
import { TokenRequest } from './routes/auth.js';
import { BatchIssueRequest, HolderLookupQuery, IssueLicenseRequest, OptionalReasonRequest, PurposeQuery, ReasonRequest, ReissueRequest } from './schemas/licenses.js';

type JsonSchema = Record<string, unknown>;

/** Request schemas as JSON Schema (draft 2020-12, what OpenAPI 3.1 uses), from the very zod schemas routes parse with. */
function schema(type: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(type, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function queryParameters(type: z.ZodObject): JsonSchema[] {
  const json = schema(type) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({ name, in: 'query', required: json.required?.includes(name) ?? false, schema: property }));
}

const problem = { description: 'RFC 9457 problem details with a stable `code`', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const body = (type: z.ZodType) => ({ required: true, content: { 'application/json': { schema: schema(type) } } });
const pathParameter = (name: string, description = name) => ({ name, in: 'path', required: true, schema: { type: 'string', description } });
const identifier = pathParameter('identifier', 'GB/T 36904 license identifier');
const secured = [{ bearer: [] }];

function operation(summary: string, roles: string, extra: Record<string, unknown>, ok: Record<string, unknown>): Record<string, unknown> {
  return { summary, description: `Roles: ${roles}.`, ...(roles === 'anyone' ? {} : { security: secured }), ...extra, responses: { ...ok, '4XX': problem, '5XX': problem } };
}

/** The OpenAPI 3.1 document served at /api/openapi.json. */
export function openApiDocument(serverUrl: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'License Vault API · 电子证照库',
      version: '1',
      description: 'Issue, look up, verify and audit electronic licenses. Errors are problem+json with a stable code.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (ES256), from POST /api/v1/auth/token' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail', 'code', 'requestId'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { type: 'string' },
            requestId: { type: 'string' },
            details: { type: 'object' },
          },
        },
      },
    },
    paths: {
      '/': { get: operation('The front page: what this vault is and where to go (HTML, for people)', 'anyone', {}, { '200': { description: 'text/html' } }) },
      '/api/v1/auth/token': {
        post: operation('Exchange client credentials for an access token', 'any account', { requestBody: body(TokenRequest) }, { '200': json('Bearer token') }),
      },
      '/api/v1/license-types': { get: operation('The license catalogue (证照目录) with field schemas and examples', 'anyone', {}, { '200': json('Catalogue') }) },
      '/api/v1/trust': { get: operation('Trusted root certificates', 'anyone', {}, { '200': { description: 'PEM bundle, or JSON with Accept: application/json' } }) },
      '/api/v1/licenses': {
        post: operation(
          'Issue a license',
          'issuer',
          { requestBody: body(IssueLicenseRequest), parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } }] },
          { '201': json('The issued license') },
        ),
      },
      '/api/v1/licenses/batch': { post: operation('Issue up to 500 licenses', 'issuer', { requestBody: body(BatchIssueRequest) }, { '200': json('One result per item') }) },
      '/api/v1/holders/{holderId}/licenses': {
        get: operation(
          "A holder's licenses (一号申请)",
          'clerk, issuer (own department)',
          { parameters: [pathParameter('holderId', 'Citizen ID number or unified social credit code'), ...queryParameters(HolderLookupQuery)] },
          { '200': json('A page of licenses') },
        ),
      },
      '/api/v1/licenses/{identifier}': {
        get: operation('One license', 'clerk, issuer (own department)', { parameters: [identifier, ...queryParameters(PurposeQuery)] }, { '200': json('The license') }),
      },
      '/api/v1/licenses/{identifier}/pdf': {
        get: operation(
          'The signed PDF, byte for byte',
          'clerk, issuer (own department)',
          { parameters: [identifier, ...queryParameters(PurposeQuery)] },
          { '200': { description: 'application/pdf' } },
        ),
      },
      '/api/v1/licenses/{identifier}/suspend': {
        post: operation('Suspend', 'issuer (own department)', { parameters: [identifier], requestBody: body(ReasonRequest) }, { '200': json('The license') }),
      },
      '/api/v1/licenses/{identifier}/revoke': {
        post: operation('Revoke (final)', 'issuer (own department)', { parameters: [identifier], requestBody: body(ReasonRequest) }, { '200': json('The license') }),
      },
      '/api/v1/licenses/{identifier}/reinstate': {
        post: operation(
          'Reinstate a suspended license',
          'issuer (own department)',
          { parameters: [identifier], requestBody: body(OptionalReasonRequest) },
          { '200': json('The license') },
        ),
      },
      '/api/v1/licenses/{identifier}/reissue': {
        post: operation('Reissue as version n+1', 'issuer (own department)', { parameters: [identifier], requestBody: body(ReissueRequest) }, { '201': json('The new version') }),
      },
      '/api/v1/audit': { get: operation('Audit log entries', 'auditor', {}, { '200': json('A page of entries') }) },
      '/api/v1/audit/verify': {
        get: operation('Verify the whole hash chain', 'auditor', {}, { '200': json('Verification result') }),
        post: operation('Verify against a signed checkpoint', 'auditor', {}, { '200': json('Verification result') }),
      },
      '/api/v1/audit/checkpoints': { post: operation('Export a signed checkpoint of the chain head', 'auditor', {}, { '201': json('Checkpoint') }) },
      '/api/v1/admin/departments': {
        get: operation('Departments', 'admin', {}, { '200': json('Departments') }),
        post: operation('Create a department', 'admin', { requestBody: body(NewDepartmentBody) }, { '201': json('Department') }),
      },
      '/api/v1/admin/departments/{creditCode}': {
        patch: operation('Change a department', 'admin', { parameters: [pathParameter('creditCode')], requestBody: body(DepartmentChangesBody) }, { '200': json('Department') }),
      },
      '/api/v1/admin/accounts': {
        get: operation('Accounts', 'admin', {}, { '200': json('Accounts') }),
        post: operation('Create an account (secret shown once)', 'admin', { requestBody: body(NewAccountBody) }, { '201': json('Account and secret') }),
      },
      '/api/v1/admin/accounts/{clientId}': {
        patch: operation('Change an account', 'admin', { parameters: [pathParameter('clientId')], requestBody: body(AccountChangesBody) }, { '200': json('Account') }),
      },
    },
  };
}
