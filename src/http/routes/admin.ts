import { Router, type Response } from 'express';
import { z } from 'zod';
import {
  actorOf,
  createAccount,
  disableAccount,
  enableAccount,
  getAccount,
  listAccounts,
  MAX_DISPLAY_NAME_LENGTH,
  ROLES,
  rotateSecret,
  updateAccount,
  type AccountDependencies,
  type AccountWithSecret,
} from '../../modules/auth/index.js';
import { createDepartment, getDepartment, listDepartments, MAX_LICENSE_TYPES, updateDepartment, type DepartmentDependencies } from '../../modules/departments/index.js';
import { principalOf, requireRole } from '../middleware/authenticate.js';
import { invalidBody } from './auth.js';

export type AdminRouteDependencies = DepartmentDependencies & AccountDependencies;

const text = (max: number) => z.string().max(max);
const nullableText = (max: number) => z.string().max(max).nullable();

export const NewDepartmentBody = z
  .object({
    creditCode: text(40),
    name: text(200),
    divisionCode: text(20),
    licenseTypes: z.array(text(40)).max(MAX_LICENSE_TYPES),
    signingKey: nullableText(200).optional(),
    sealImage: nullableText(500).optional(),
  })
  .strict();

export const DepartmentChangesBody = z
  .object({
    name: text(200).optional(),
    divisionCode: text(20).optional(),
    licenseTypes: z.array(text(40)).max(MAX_LICENSE_TYPES).optional(),
    signingKey: nullableText(200).optional(),
    sealImage: nullableText(500).optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'give at least one field to change');

export const NewAccountBody = z
  .object({
    clientId: text(64).optional(),
    role: z.enum(ROLES),
    department: nullableText(40).optional(),
    displayName: text(MAX_DISPLAY_NAME_LENGTH * 2).optional(),
  })
  .strict();

export const AccountChangesBody = z
  .object({
    role: z.enum(ROLES).optional(),
    department: nullableText(40).optional(),
    displayName: text(MAX_DISPLAY_NAME_LENGTH * 2).optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'give at least one field to change');

function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw invalidBody(parsed.error);
  return parsed.data;
}

/** The only responses that carry a client secret: never cached. */
function sendSecret(res: Response, status: number, result: AccountWithSecret): void {
  res.setHeader('Cache-Control', 'no-store');
  res.status(status).json(result);
}

/**
 * Administration (admin role only): departments and accounts. Mount behind
 * the authentication gate. Every change is audited by the use cases.
 */
export function adminRoutes(deps: AdminRouteDependencies): Router {
  const router = Router();
  router.use('/api/v1/admin', requireRole('admin'));

  router.post('/api/v1/admin/departments', async (req, res) => {
    const department = await createDepartment(deps, actorOf(principalOf(res)), parse(NewDepartmentBody, req.body));
    res.status(201).location(`/api/v1/admin/departments/${department.creditCode}`).json(department);
  });
  router.get('/api/v1/admin/departments', async (_req, res) => {
    res.json({ departments: await listDepartments(deps) });
  });
  router.get('/api/v1/admin/departments/:creditCode', async (req, res) => {
    res.json(await getDepartment(deps, req.params.creditCode));
  });
  router.patch('/api/v1/admin/departments/:creditCode', async (req, res) => {
    res.json(await updateDepartment(deps, actorOf(principalOf(res)), req.params.creditCode, parse(DepartmentChangesBody, req.body)));
  });

  router.post('/api/v1/admin/accounts', async (req, res) => {
    const created = await createAccount(deps, actorOf(principalOf(res)), parse(NewAccountBody, req.body));
    res.location(`/api/v1/admin/accounts/${created.account.clientId}`);
    sendSecret(res, 201, created);
  });
  router.get('/api/v1/admin/accounts', async (_req, res) => {
    res.json({ accounts: await listAccounts(deps) });
  });
  router.get('/api/v1/admin/accounts/:clientId', async (req, res) => {
    res.json(await getAccount(deps, req.params.clientId));
  });
  router.patch('/api/v1/admin/accounts/:clientId', async (req, res) => {
    res.json(await updateAccount(deps, actorOf(principalOf(res)), req.params.clientId, parse(AccountChangesBody, req.body)));
  });
  router.post('/api/v1/admin/accounts/:clientId/disable', async (req, res) => {
    res.json(await disableAccount(deps, actorOf(principalOf(res)), req.params.clientId));
  });
  router.post('/api/v1/admin/accounts/:clientId/enable', async (req, res) => {
    res.json(await enableAccount(deps, actorOf(principalOf(res)), req.params.clientId));
  });
  router.post('/api/v1/admin/accounts/:clientId/rotate-secret', async (req, res) => {
    sendSecret(res, 200, await rotateSecret(deps, actorOf(principalOf(res)), req.params.clientId));
  });
  return router;
}
